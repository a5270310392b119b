"""Atom feeds of published fact-checks and of public corrections.

Every link is on FACTCHECK_SITE_URL (``SiteFeed``): Django's feeds would otherwise put
relative links on the request's host.
"""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from claims.claimreview import on_site
from claims.models import Claim, Correction


class SiteFeed(Feed):
    feed_type = Atom1Feed
    url_name = ""

    def link(self):
        return on_site(reverse("claims:home"))

    def feed_url(self):
        return on_site(reverse(self.url_name))

    def item_link(self, item) -> str:
        return on_site(item.get_absolute_url())


class ClaimsFeed(SiteFeed):
    title = _("Latest fact-checks")
    subtitle = _("Published verdicts, newest first.")
    url_name = "claims:feed-claims"

    def items(self):
        return Claim.objects.published().select_related("rating").order_by("-published_at")[:50]

    def item_title(self, claim: Claim) -> str:
        return claim.claim_reviewed

    def item_description(self, claim: Claim) -> str:
        verdict = f"{claim.rating.local_label}: " if claim.rating else ""
        return f"{verdict}{claim.conclusion}"

    def item_pubdate(self, claim: Claim):
        return claim.published_at

    def item_updateddate(self, claim: Claim):
        return claim.updated_at

    def item_author_name(self, claim: Claim) -> str:
        return claim.claimant


class CorrectionsFeed(SiteFeed):
    title = _("Corrections")
    subtitle = _("Every public correction, update and clarification, newest first.")
    url_name = "claims:feed-corrections"

    def items(self):
        return Correction.objects.public().select_related("claim").order_by("-published_at")[:50]

    def item_title(self, correction: Correction) -> str:
        return f"{correction.get_kind_display()}: {correction.claim.claim_reviewed}"

    def item_description(self, correction: Correction) -> str:
        return correction.note

    def item_link(self, correction: Correction) -> str:
        return on_site(f"{correction.claim.get_absolute_url()}#correction-{correction.pk}")

    def item_pubdate(self, correction: Correction):
        return correction.published_at
