"""Writes that touch several models, each in one transaction.

Views call these with validated input; every function re-checks what the database must
guarantee (current revision, exact quote, claim version) so nothing is half-saved. The
views keep the request and the response (forms, messages, rate limits); what they pass
in is plain data or unsaved model instances, never a form. Each function is named
``<entity>_<action>`` and lives in the module of its subject:

- ``mentions``: marking passages (a new claim for a passage, link, move, remove, confirm).
- ``claims``: saving a claim from the desk panel with its sources; an open correction.
- ``revisions``: a new article, its metadata, new revisions of its text (re-anchoring).
- ``watch``: the article watch (pause, resume, interval) and the publisher's new text.
- ``moderation``: a reader's tip or error report, and what moderators do with them.
- ``webhooks``: webhooks of a newsroom's systems and their deliveries.
- ``sources``: a source's link check and its archived copy (the tasks' findings).
- ``matching``: a revision's hints and "Already checked" suggestions, stored; linking or
  dismissing a suggestion.

The lifecycle of a claim (submit for review, approve, publish, corrections, appearances
of a published claim) writes ``Claim``, ``Review``, ``Correction`` and ``ClaimEvent``
together, yet it is not here: those transitions are methods of ``Claim``
(``claims/models/lifecycle.py``), the one place they happen. Each checks the role, the
claim's state and the four-eyes rule on the row it locks, so no caller (view, admin,
management command, test) can move a claim between states without those checks, and
the state machine is read in one file. The functions here call them where a write
includes a transition (``correction_open_from_report``, ``mention_delete``).

Every public name is re-exported here: ``from claims import services`` then
``services.claim_update(...)``.
"""

from claims.services.claims import (
    EditConflict,
    FieldChange,
    SourceData,
    claim_update,
    correction_update,
    default_claim_text,
)
from claims.services.matching import (
    analysis_fail,
    analysis_request,
    revision_analyse,
    suggestion_dismiss,
    suggestion_link,
)
from claims.services.mentions import (
    Marked,
    Removal,
    StaleRevision,
    claim_create_with_mention,
    mention_confirm,
    mention_delete,
    mention_link,
    mention_move,
)
from claims.services.moderation import (
    claim_create_from_tip,
    correction_open_from_report,
    error_report_submit,
    reader_input_moderate,
    reader_input_purge,
    reader_input_reply,
    tip_answer_with_claim,
    tip_submit,
)
from claims.services.revisions import (
    ArticleChanged,
    RevisionResult,
    SameText,
    article_create,
    article_revise,
    article_update,
    revision_block_set,
)
from claims.services.sources import (
    source_archive_answer,
    source_archive_request,
    source_check_record,
)
from claims.services.watch import article_revise_from_publisher, article_watch_set
from claims.services.webhooks import (
    deliveries_create,
    delivery_give_up,
    delivery_record_try,
    delivery_replay,
    may_manage_webhooks,
    webhook_create,
    webhook_delete,
    webhook_ping,
    webhook_rotate_secret,
    webhook_set_active,
)

__all__ = [
    "ArticleChanged",
    "EditConflict",
    "FieldChange",
    "Marked",
    "Removal",
    "RevisionResult",
    "SameText",
    "SourceData",
    "StaleRevision",
    "analysis_fail",
    "analysis_request",
    "article_create",
    "article_revise",
    "article_revise_from_publisher",
    "article_update",
    "article_watch_set",
    "claim_create_from_tip",
    "claim_create_with_mention",
    "claim_update",
    "correction_open_from_report",
    "correction_update",
    "default_claim_text",
    "deliveries_create",
    "delivery_give_up",
    "delivery_record_try",
    "delivery_replay",
    "error_report_submit",
    "may_manage_webhooks",
    "mention_confirm",
    "mention_delete",
    "mention_link",
    "mention_move",
    "reader_input_moderate",
    "reader_input_purge",
    "reader_input_reply",
    "revision_analyse",
    "revision_block_set",
    "source_archive_answer",
    "source_archive_request",
    "source_check_record",
    "suggestion_dismiss",
    "suggestion_link",
    "tip_answer_with_claim",
    "tip_submit",
    "webhook_create",
    "webhook_delete",
    "webhook_ping",
    "webhook_rotate_secret",
    "webhook_set_active",
]
