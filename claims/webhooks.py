"""Webhooks' rules: the events, what each payload holds (public data only), the body and
its signature (Stripe/GitHub style), and the receiver's check of it (docs/api.md,
"Webhooks"). Sends nothing: ``claims.tasks.webhooks`` does.

The signature header is ``Factcheck-Signature: t=<unix seconds>,v1=<hex>``, where ``<hex>``
is the HMAC-SHA256, keyed with the webhook's secret, of ``"<t>.<raw body>"``. The
timestamp is signed with the body, so an old delivery replayed by someone who caught it
is refused by a receiver that checks :func:`verify_signature`'s tolerance.
"""

import hashlib
import hmac
import json
import time
from typing import Any

from claims.claimreview import on_site
from claims.models import Article, Claim, Correction, WebhookDelivery, WebhookEvent
from claims.models.webhooks import PING

__all__ = [
    "EVENTS",
    "PING",
    "SignatureError",
    "article_data",
    "body_of",
    "claim_data",
    "headers_for",
    "sign",
    "verify_signature",
]

#: Every event a webhook may subscribe to, with its description.
EVENTS = WebhookEvent
#: How old a signature's timestamp may be, in seconds, by default.
TOLERANCE = 300


def _date(value) -> str | None:
    return value.isoformat() if value is not None else None


# --- Payloads: public data only -------------------------------------------------------------
def claim_data(claim: Claim, event: str, correction: Correction | None = None) -> dict[str, Any]:
    """The ``data`` of a claim event. An unpublished claim: its slug and former address
    only (what readers saw is gone); otherwise what its public page shows."""
    data: dict[str, Any] = {"slug": claim.slug, "url": on_site(claim.get_absolute_url())}
    if event == WebhookEvent.CLAIM_UNPUBLISHED:
        return data
    rating = claim.rating
    data |= {
        "claimReviewed": claim.claim_reviewed,
        "claimant": claim.claimant,
        "language": claim.language,
        "rating": {"slug": rating.slug, "name": rating.label} if rating else None,
        "conclusion": claim.conclusion,
        "datePublished": _date(claim.published_at),
        "dateModified": _date(claim.updated_at),
    }
    if correction is not None:
        data["correction"] = {
            "kind": correction.kind,
            "note": correction.note,
            "datePublished": _date(correction.published_at),
        }
    return data


def article_data(article: Article, event: str) -> dict[str, Any]:
    """The ``data`` of an article event: slug and address only once it is unpublished."""
    data: dict[str, Any] = {"slug": article.slug, "url": on_site(article.get_absolute_url())}
    if event == WebhookEvent.ARTICLE_UNPUBLISHED:
        return data
    revision = article.current_revision
    return data | {
        "title": article.title,
        "outlet": article.outlet,
        "originalUrl": article.original_url,
        "language": article.language,
        "datePublished": _date(article.published_at),
        "revision": revision.number if revision else None,
        "dateModified": _date(revision.created_at if revision else article.updated_at),
    }


def ping_data(webhook_pk: int) -> dict[str, Any]:
    """The ``data`` of the desk's test delivery."""
    return {"webhook": webhook_pk, "message": "ping"}


# --- Body and signature ---------------------------------------------------------------------
def body_of(delivery: WebhookDelivery) -> bytes:
    """The request body: compact JSON ``{"id", "type", "created", "data"}`` (UTF-8)."""
    envelope = {
        "id": str(delivery.id),
        "type": delivery.event,
        "created": delivery.created_at.isoformat(),
        "data": delivery.payload,
    }
    return json.dumps(envelope, separators=(",", ":"), ensure_ascii=False).encode()


def _mac(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The ``Factcheck-Signature`` value of ``body``: ``t=<unix seconds>,v1=<hex>``."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={_mac(secret, timestamp, body)}"


def headers_for(delivery: WebhookDelivery, body: bytes) -> dict[str, str]:
    """The headers of one try of a delivery, signed now with the webhook's secret."""
    return {
        "Content-Type": "application/json",
        "Factcheck-Event": delivery.event,
        "Factcheck-Delivery": str(delivery.id),
        "Factcheck-Signature": sign(delivery.webhook.secret, body),
    }


class SignatureError(ValueError):
    """The signature is missing, malformed, wrong, or too old."""


def verify_signature(secret: str, header: str, body: bytes, tolerance: int = TOLERANCE) -> int:
    """The receiver's check: that ``header`` (``Factcheck-Signature``) signs ``body`` (the
    raw bytes received) with ``secret`` and is at most ``tolerance`` seconds old. Returns
    the timestamp; raises :class:`SignatureError` otherwise. Several ``v1`` values (a
    secret being rotated) are accepted if one matches."""
    timestamp, candidates = None, []
    for part in (header or "").split(","):
        key, _sep, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1":
            candidates.append(value)
    if timestamp is None or not candidates:
        raise SignatureError("malformed signature header")
    if abs(time.time() - timestamp) > tolerance:
        raise SignatureError("timestamp outside the tolerance")
    expected = _mac(secret, timestamp, body)
    if not any(hmac.compare_digest(expected, value) for value in candidates):
        raise SignatureError("signature does not match")
    return timestamp
