"""The domain model of the fact-checking desk (see docs/architecture.md)."""

from claims.models.articles import Article, ArticleRevision
from claims.models.background import BackgroundTask, ScheduledJob, TaskWorker
from claims.models.claims import Claim, Mention, Source
from claims.models.imports import ArticleImport
from claims.models.lifecycle import WorkflowError
from claims.models.links import SourceCheck
from claims.models.matching import (
    ClaimProfile,
    ClaimSuggestion,
    SuggestionDismissal,
    TextAnalysis,
)
from claims.models.ratings import Rating
from claims.models.reader_input import ErrorReport, ReaderRateCount, Tip
from claims.models.tokens import ApiToken
from claims.models.watch import ArticleWatch
from claims.models.webhooks import Webhook, WebhookDelivery, WebhookEvent
from claims.models.workflow import (
    ClaimEvent,
    Correction,
    DeskProfile,
    EmailFrequency,
    EmailKind,
    Review,
)

__all__ = [
    "ApiToken",
    "Article",
    "ArticleImport",
    "ArticleRevision",
    "ArticleWatch",
    "BackgroundTask",
    "Claim",
    "ClaimEvent",
    "ClaimProfile",
    "ClaimSuggestion",
    "Correction",
    "DeskProfile",
    "EmailFrequency",
    "EmailKind",
    "ErrorReport",
    "Mention",
    "Rating",
    "ReaderRateCount",
    "Review",
    "ScheduledJob",
    "Source",
    "SourceCheck",
    "SuggestionDismissal",
    "TaskWorker",
    "TextAnalysis",
    "Tip",
    "Webhook",
    "WebhookDelivery",
    "WebhookEvent",
    "WorkflowError",
]
