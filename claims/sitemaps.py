"""The sitemap: published articles and claims, in every language, on FACTCHECK_SITE_URL
(the request's host only in development)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap

from claims.models import Article, Claim


class SiteSitemap(Sitemap):
    def get_protocol(self, protocol=None):
        if settings.FACTCHECK_SITE_URL:
            return urlsplit(settings.FACTCHECK_SITE_URL).scheme
        return super().get_protocol(protocol)

    def get_domain(self, site=None):
        if settings.FACTCHECK_SITE_URL:
            return urlsplit(settings.FACTCHECK_SITE_URL).netloc
        return super().get_domain(site)


class ArticleSitemap(SiteSitemap):
    i18n = True
    alternates = True
    changefreq = "weekly"

    def items(self):
        return Article.objects.published().order_by("pk")

    def lastmod(self, article: Article):
        return article.updated_at


class ClaimSitemap(SiteSitemap):
    i18n = True
    alternates = True
    changefreq = "monthly"

    def items(self):
        return Claim.objects.published().order_by("pk")

    def lastmod(self, claim: Claim):
        return claim.updated_at


SITEMAPS = {"articles": ArticleSitemap, "claims": ClaimSitemap}
