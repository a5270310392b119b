"""The embed script for publishers' own article pages (docs/embed.md).

A newsroom adds ``<script src="https://<desk>/embed.js" async></script>`` to its article
template. ``/embed.js`` (``embed_loader``) is a few lines, cached for five minutes, that
load the current version of the script for the page's language from a versioned address
(``embed_script``), cached for a year: a new release reaches every page within five
minutes, and a page never runs a half-updated script.

The script itself is ``static/embed/factchecks.js``; the version is a hash of it and of
the strings of the language, which come from the translation catalogues like every other
text of the site and are put into the script here. Neither view reads the session, so no
answer sets a cookie; both may be loaded by any site (``Cross-Origin-Resource-Policy``).
What a page may read, the annotations, is decided by ``FACTCHECK_EMBED_ORIGINS``
(factcheck.api_headers).
"""

import hashlib
import json
import re
from functools import cache, lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

SOURCE = "embed/factchecks.js"
LOADER_MAX_AGE = 300
VERSION_MAX_AGE = 365 * 24 * 3600
CONFIG = re.compile(r"/\*config\*/.*?/\*end\*/", re.DOTALL)
COMMENT_LINES = re.compile(r"^[ \t]*//.*\n", re.MULTILINE)
OPENING_COMMENT = re.compile(r"\A/\*.*?\*/\n", re.DOTALL)

STRINGS = {
    # Translators: the heading of the box of fact-checks the embed script adds at the
    # end of an article on the publisher's own site.
    "list": _("Fact-checks of this article"),
    # Translators: the heading of the popover of one checked passage on a publisher's page.
    "factcheck": _("Fact-check"),
    # Translators: who checked the claims, on a publisher's page; %s is the organisation.
    "by": _("Checked by %s"),
    # Translators: the accessible name of the verdict label at the start of a checked
    # passage on a publisher's page; %s is the verdict, e.g. "False".
    "open": _("Fact-check: %s. Show the verdict"),
    # Translators: read by screen readers where a checked passage ends on a publisher's page.
    "end": _("End of the checked claim"),
    # Translators: the claim as the fact-checkers worded it, in the popover; a colon follows.
    "claim": _("Claim"),
    "more": _("Read the full fact-check"),
    "close": _("Close"),
    # Translators: a button in the box of fact-checks: scroll to the passage in the article.
    "show": _("Show in the article"),
    # Translators: in the box of fact-checks, for a checked passage the script could not
    # find on the publisher's page (the text changed, or it is hidden).
    "missing": _("This passage is not in the article as shown here."),
    # Translators: the label of a checked passage whose claim has no verdict yet.
    "checked": _("Checked"),
}


@cache
def _source_path() -> Path:
    """Where the script's source is: looked for once per process (the staticfiles finders
    walk the static folders); its modification time is still read on each build."""
    found = finders.find(SOURCE)
    if not found:
        raise Http404(SOURCE)
    return Path(found)


@lru_cache(maxsize=16)
def _build(language: str, modified: float) -> tuple[str, str]:
    """The script for ``language`` and its version (``modified``: the source file's
    modification time, so that an edited source is rebuilt)."""
    source = _source_path().read_text(encoding="utf-8")
    with translation.override(language):
        config = {
            "strings": {key: str(value) for key, value in STRINGS.items()},
            "api": reverse("api:annotations"),
        }
    body = CONFIG.sub(
        lambda _match: json.dumps(config, ensure_ascii=False, separators=(",", ":")), source
    )
    # The comments are for the source's readers, not for every page view: whole comment
    # lines and the opening block go; the code is served as it is written.
    body = COMMENT_LINES.sub("", body)
    body = OPENING_COMMENT.sub(f"/* {SOURCE}: docs/embed.md */\n", body, count=1)
    version = hashlib.sha256(body.encode()).hexdigest()[:12]
    return version, body


def build(language: str) -> tuple[str, str]:
    """(version, script) of the embed script in ``language``, one of the site's."""
    return _build(language, _source_path().stat().st_mtime)


def _javascript(body: str, max_age: int, *, immutable: bool = False) -> HttpResponse:
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={max_age}" + (", immutable" if immutable else "")
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


@require_safe
def embed_loader(request: HttpRequest) -> HttpResponse:
    """``/embed.js``: loads the current version of the script in the page's language
    (``data-lang``, else the page's ``lang``, else the site's default), passing on the
    ``data-*`` attributes of its own ``<script>`` tag."""
    versions = {
        code: reverse("embed-script", kwargs={"version": build(code)[0], "language": code})
        for code, _name in settings.LANGUAGES
    }
    loader = (
        "(() => {\n"
        '  "use strict";\n'
        "  const own = document.currentScript;\n"
        "  if (!own) return;\n"
        f"  const versions = {json.dumps(versions)};\n"
        '  const tag = (own.dataset.lang || document.documentElement.lang || "").toLowerCase();\n'
        '  const language = tag.split("-")[0];\n'
        '  const script = document.createElement("script");\n'
        "  script.src = new URL(\n"
        f"    Object.hasOwn(versions, language) ? versions[language] : "
        f"versions[{json.dumps(settings.LANGUAGE_CODE)}],\n"
        "    own.src,\n"
        "  ).href;\n"
        "  script.async = true;\n"
        "  Object.assign(script.dataset, own.dataset);\n"
        "  (document.head || document.documentElement).append(script);\n"
        "})();\n"
    )
    return _javascript(loader, LOADER_MAX_AGE)


@require_safe
def embed_script(request: HttpRequest, version: str, language: str) -> HttpResponse:
    """The script in ``language``. Under its current version it is cached for a year; an
    older version (a loader cached before a release) gets the current script, briefly."""
    if language not in dict(settings.LANGUAGES):
        raise Http404(language)
    current, body = build(language)
    if version == current:
        return _javascript(body, VERSION_MAX_AGE, immutable=True)
    return _javascript(body, LOADER_MAX_AGE)
