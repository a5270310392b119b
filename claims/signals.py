"""Cache invalidation: a change to anything the public can see makes cached pages stale.

Only invalidation lives here (no domain logic). Receivers bump the page-cache generation
at once and again after the transaction commits, so a page rendered from the old data
while the transaction was open cannot outlive it.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from claims.caching import invalidate_public_pages
from claims.models import Article, ArticleRevision, Claim, Correction, Mention, Rating, Source


def _public_claim(claim: Claim | None) -> bool:
    # published_at stays set once a claim was published, so unpublishing counts too.
    return claim is not None and (
        claim.status == Claim.Status.PUBLISHED or claim.published_at is not None
    )


def _matters(sender, instance) -> bool:
    if sender in (Article, Rating, Correction):
        return True
    if sender is Claim:
        return _public_claim(instance)
    if sender in (Mention, Source):
        if sender.claim.is_cached(instance):  # usually: no query needed
            return _public_claim(instance.claim)
        return _public_claim(Claim.objects.filter(pk=instance.claim_id).first())
    return False


@receiver(post_save)
@receiver(post_delete)
def invalidate_on_change(sender, instance, **kwargs) -> None:
    if sender is ArticleRevision:
        # A paragraph's role changed (sub-heading, list, quote): the text readers see.
        matters = "blocks" in (kwargs.get("update_fields") or ())
    elif sender not in (Article, Claim, Correction, Mention, Rating, Source):
        return
    else:
        matters = _matters(sender, instance)
    if matters:
        invalidate_public_pages()
        transaction.on_commit(invalidate_public_pages)
