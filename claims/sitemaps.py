"""The sitemap: published articles and claims, in every language, on FACTCHECK_SITE_URL
(the request's host only in development).

``/sitemap.xml`` is a sitemap index (``index``: Django's, on FACTCHECK_SITE_URL) naming one
sitemap per section and page: ``/sitemap-articles.xml``, ``/sitemap-claims.xml``,
``/sitemap-claims.xml?p=2`` … Each page holds at most ``limit`` URLs (25,000, half the
protocol's 50,000), counted as items × languages: every item has one URL per language, each with
its hreflang alternates. A page reads only its own slice of items from the database
(``LIMIT``/``OFFSET`` over the primary key), so its cost does not grow with the archive:
two queries (the count, the slice), whatever the page.

A page is written out here (``section``) rather than by Django's ``sitemap.xml`` template:
at 50,000 URLs the template alone takes seconds, and so does ``reverse()`` once per URL
and alternate; here each item's address in each language is made once, from the URL
pattern's text around the slug.
"""

import re
from datetime import datetime
from html import escape
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.contrib.sites.shortcuts import get_current_site
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import http_date

from claims.models import Article, Claim

# A slug made of these characters comes out of reverse() as it went in.
_PLAIN_SLUG = re.compile(r"[A-Za-z0-9_-]+\Z")
_SLUG_MARK = "sitemap-slug-mark"
_XML_SPECIAL = re.compile(r"[&<>\"']")


class SiteSitemap(Sitemap):
    def get_protocol(self, protocol=None):
        if settings.FACTCHECK_SITE_URL:
            return urlsplit(settings.FACTCHECK_SITE_URL).scheme
        return super().get_protocol(protocol)

    def get_domain(self, site=None):
        if settings.FACTCHECK_SITE_URL:
            return urlsplit(settings.FACTCHECK_SITE_URL).netloc
        return super().get_domain(site)


class SectionSitemap(SiteSitemap):
    """Published items of one model, by primary key, in every language, ``limit`` URLs
    (items × languages) a page. Subclasses set ``url_name`` (a pattern taking ``slug``)
    and ``queryset()``. An item is a ``(slug, updated_at)`` row: no model instances, no
    claim's explanation read 25,000 times."""

    i18n = True
    alternates = True
    # URLs a page: half the sitemaps protocol's maximum (50,000). A page of 50,000 URLs is
    # 16 MB of XML, and compressing it for a crawler (gzip) took it past 200 ms at
    # 100,000 claims (226 ms); 25,000 keeps a page well under (docs/performance-work.md).
    limit = 25_000
    url_name = ""

    def queryset(self):
        raise NotImplementedError

    def items(self):
        return self.queryset().order_by("pk").values_list("slug", "updated_at")

    def location(self, item) -> str:
        return reverse(self.url_name, kwargs={"slug": item[0]})

    def lastmod(self, item):
        return item[1]

    @property
    def items_per_page(self) -> int:
        return max(1, self.limit // len(self._languages()))

    @property
    def paginator(self):
        # Pages of items, each ≤ limit URLs once every language is counted; the index
        # reads only the count, a page only its slice.
        return Paginator(self.items(), self.items_per_page)

    def get_latest_lastmod(self):
        """The section's newest change, for the index: one aggregate, not every item."""
        return self.queryset().aggregate(latest=Max("updated_at"))["latest"]

    def _page(self, page, protocol: str, domain: str, xml: bool = False):
        """The page's items, and for each its absolute URL in every language (a tuple in
        the order of ``_languages()``); the newest lastmod in ``self.latest_lastmod``.

        reverse() runs once per language: the slug is put into the pattern's text around
        it (reverse() itself for a slug it would have to quote). With ``xml``, the URLs
        come escaped for XML (a plain slug needs nothing; the text around it is escaped
        once)."""
        esc = _xml if xml else str
        items = list(self.paginator.page(page).object_list)
        base = f"{protocol}://{domain}"
        columns = []
        for lang in self._languages():
            with translation.override(lang):
                head, _mark, tail = reverse(self.url_name, kwargs={"slug": _SLUG_MARK}).partition(
                    _SLUG_MARK
                )
                head, tail = esc(base + head), esc(tail)
                columns.append(
                    [
                        head + item[0] + tail
                        if _PLAIN_SLUG.match(item[0])
                        else esc(base + reverse(self.url_name, kwargs={"slug": item[0]}))
                        for item in items
                    ]
                )
        lastmods = [self.lastmod(item) for item in items]
        self.latest_lastmod = max((m for m in lastmods if m is not None), default=None)
        return items, lastmods, list(zip(*columns, strict=True)) if items else []

    def _urls(self, page, protocol, domain):
        """What Django's ``Sitemap.get_urls`` returns, one entry per item and language."""
        items, lastmods, locations = self._page(page, protocol, domain)
        languages = self._languages()
        urls = []
        for item, lastmod, locs in zip(items, lastmods, locations, strict=True):
            alternates = [
                {"location": loc, "lang_code": lang}
                for lang, loc in zip(languages, locs, strict=True)
            ]
            urls.extend(
                {
                    "item": (item, lang),
                    "location": loc,
                    "lastmod": lastmod,
                    "changefreq": self.changefreq,
                    "priority": "",
                    "alternates": alternates,
                }
                for lang, loc in zip(languages, locs, strict=True)
            )
        return urls

    def page_xml(self, page, protocol: str, domain: str) -> str:
        """The page as Django's ``sitemap.xml`` template writes it, without the
        template's cost per URL: each item's lastmod and alternates are written once."""
        _items, lastmods, locations = self._page(page, protocol, domain, xml=True)
        out = [
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:xhtml="http://www.w3.org/1999/xhtml">'
        ]
        changefreq = f"<changefreq>{self.changefreq}</changefreq>" if self.changefreq else ""
        links = [
            f'<xhtml:link rel="alternate" hreflang="{_xml(lang)}" href="{{}}"/>'
            for lang in self._languages()
        ]
        zone = timezone.get_current_timezone()
        for lastmod, locs in zip(lastmods, locations, strict=True):
            day = f"<lastmod>{_day(lastmod, zone)}</lastmod>" if lastmod is not None else ""
            alternates = "".join([link.format(loc) for link, loc in zip(links, locs, strict=True)])
            tail = f"{day}{changefreq}{alternates}</url>"
            out.extend([f"<url><loc>{loc}</loc>{tail}" for loc in locs])
        out.append("</urlset>\n")
        return "".join(out)


class ArticleSitemap(SectionSitemap):
    changefreq = "weekly"
    url_name = "claims:article"

    def queryset(self):
        return Article.objects.published()


class ClaimSitemap(SectionSitemap):
    changefreq = "monthly"
    url_name = "claims:claim"

    def queryset(self):
        return Claim.objects.published()


SITEMAPS = {"articles": ArticleSitemap, "claims": ClaimSitemap}


def _day(value, zone) -> str:
    """A lastmod as Django's template writes it (``|date:"Y-m-d"``: an aware datetime in
    the current time zone)."""
    if isinstance(value, datetime):
        value = (value.astimezone(zone) if value.tzinfo is not None else value).date()
    return value.isoformat()


def _xml(text: str) -> str:
    """``text`` escaped for XML, as the template would (most URLs need nothing)."""
    return escape(text) if _XML_SPECIAL.search(text) else text


def _robots(response):
    response.headers["X-Robots-Tag"] = "noindex, noodp, noarchive"  # as Django's views
    return response


def index(request, sitemaps=SITEMAPS):
    """``/sitemap.xml``: Django's sitemap index (``django.contrib.sitemaps.views.index``,
    its template and headers) with every address on FACTCHECK_SITE_URL, which Django's
    view ignores (it takes the request's host). Each section's pages with the section's
    newest lastmod: per section a count and a MAX() read from an index."""
    site_of_request = get_current_site(request)
    entries = []
    lastmods = []
    for name, sitemap_class in sitemaps.items():
        site = sitemap_class()
        protocol = site.get_protocol(request.scheme)
        domain = site.get_domain(site_of_request)
        url = f"{protocol}://{domain}{reverse('sitemap-section', kwargs={'section': name})}"
        lastmod = site.get_latest_lastmod()
        lastmods.append(lastmod)
        entries.append(SitemapIndexItem(url, lastmod))
        entries += [
            SitemapIndexItem(f"{url}?p={number}", lastmod)
            for number in range(2, site.paginator.num_pages + 1)
        ]
    headers = None
    if lastmods and None not in lastmods:
        headers = {"Last-Modified": http_date(max(lastmods).timestamp())}
    return _robots(
        TemplateResponse(
            request,
            "sitemap_index.xml",
            {"sitemaps": entries},
            content_type="application/xml",
            headers=headers,
        )
    )


def section(request, section: str, sitemaps=SITEMAPS):
    """One page (``?p=N``) of one section, like ``django.contrib.sitemaps.views.sitemap``
    with a section: 404 for an unknown section or a page out of range, Last-Modified from
    the page's items, the same X-Robots-Tag."""
    if section not in sitemaps:
        raise Http404(f"No sitemap section {section!r}")
    site = sitemaps[section]()
    try:
        xml = site.page_xml(
            request.GET.get("p", 1),
            site.get_protocol(request.scheme),
            site.get_domain(get_current_site(request)),
        )
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404(str(error)) from None
    response = HttpResponse(xml, content_type="application/xml")
    if site.latest_lastmod is not None:
        response.headers["Last-Modified"] = http_date(site.latest_lastmod.timestamp())
    return _robots(response)
