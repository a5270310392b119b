"""The domain model of the fact-checking desk (see docs/architecture.md)."""

from claims.models.articles import Article, ArticleRevision
from claims.models.background import BackgroundTask, ScheduledJob, TaskWorker
from claims.models.claims import Claim, Mention, Source
from claims.models.lifecycle import WorkflowError
from claims.models.links import SourceCheck
from claims.models.ratings import Rating
from claims.models.reader_input import ErrorReport, ReaderRateCount, Tip
from claims.models.workflow import ClaimEvent, Correction, DeskProfile, Review

__all__ = [
    "Article",
    "ArticleRevision",
    "BackgroundTask",
    "Claim",
    "ClaimEvent",
    "Correction",
    "DeskProfile",
    "ErrorReport",
    "Mention",
    "Rating",
    "ReaderRateCount",
    "Review",
    "ScheduledJob",
    "Source",
    "SourceCheck",
    "TaskWorker",
    "Tip",
    "WorkflowError",
]
