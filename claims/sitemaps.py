"""The sitemap: published articles and claims, in every language."""

from django.contrib.sitemaps import Sitemap

from claims.models import Article, Claim


class ArticleSitemap(Sitemap):
    i18n = True
    alternates = True
    changefreq = "weekly"

    def items(self):
        return Article.objects.published().order_by("pk")

    def lastmod(self, article: Article):
        return article.updated_at


class ClaimSitemap(Sitemap):
    i18n = True
    alternates = True
    changefreq = "monthly"

    def items(self):
        return Claim.objects.published().order_by("pk")

    def lastmod(self, claim: Claim):
        return claim.updated_at


SITEMAPS = {"articles": ArticleSitemap, "claims": ClaimSitemap}
