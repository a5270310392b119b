"""The embed script on the five real publisher pages, in Chromium (issue #21).

A publisher's site (a local HTTP server on 127.0.0.1) serves each page of
``tests/fixtures/`` twice: as it is (``/plain/<name>``) and with the newsroom's
``<script src="<desk>/embed.js" data-article-url="…" async>`` before ``</body>``
(``/<name>``). The desk is the live server; the page's article is imported and published
with fact-checks on its passages (``tests.embed_pages.publish_page``). Every request to
any other origin (the pages' CDNs, ads, fonts) is answered with an empty 204 by the
browser context, so that the pages' own network failures do not flood the console.

One journey per page checks what the script promises (static/embed/factchecks.js): it
finds the passages, marks them without moving anything of the page, adds no console
error, every verdict label works by keyboard, the list box has one entry per fact-check,
its own elements have no serious accessibility violations, and it sets no cookie. Then:
the API down or failing, a page the desk has no fact-checks for, a strict CSP, and a page
that names its article only by ``<link rel="canonical">``.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, expect

from claims.models import Claim
from tests.embed_pages import REALWORLD_PAGES, PublishedPage, publish_page
from tests.webserver import PageServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
READY_TIMEOUT = 15_000  # ms: the list box must be there by then
SETTLE = 500  # ms after "load": the page's own scripts have done their first work
OWN = "mark.fcx-mark, .fcx-labels, .fcx-label, .fcx-host"  # the script's own elements
LABEL = re.compile(r"^(Faktencheck|Fact-check): ")

STRINGS = {
    "de": {"dialog": "Faktencheck", "list": "Faktenchecks zu diesem Artikel"},
    "en": {"dialog": "Fact-check", "list": "Fact-checks of this article"},
}


# --- The publisher's site --------------------------------------------------------------
@pytest.fixture(scope="module")
def site():
    with PageServer() as server:
        yield server


@pytest.fixture
def publisher(site) -> str:
    return site.url("").rstrip("/")


@pytest.fixture
def desk_url(live_server, settings, publisher) -> str:
    settings.FACTCHECK_EMBED_ORIGINS = [publisher]
    return live_server.url


@pytest.fixture
def context(context: BrowserContext, publisher, live_server) -> BrowserContext:
    """The browser context, with every request that is not to the publisher or the desk
    answered by an empty 204."""
    local = "|".join(re.escape(origin) for origin in (publisher, live_server.url))
    context.route(
        re.compile(rf"^(?!(?:{local})(?:/|$))https?://"),
        lambda route: route.fulfill(status=204, body=""),
    )
    return context


def with_embed(html: bytes, desk: str, article_url: str | None) -> bytes:
    """``html`` with the newsroom's script tag before its last ``</body>``."""
    data = f' data-article-url="{article_url}"' if article_url else ""
    tag = f'<script src="{desk}/embed.js"{data} async></script>'.encode()
    at = html.lower().rindex(b"</body>")
    return html[:at] + tag + html[at:]


def page_language(html: bytes) -> str:
    match = re.search(rb"<html[^>]*\blang=[\"']?([a-zA-Z]+)", html)
    return match.group(1).decode().lower() if match else "en"


# --- Watching a page -------------------------------------------------------------------
@dataclass
class Watched:
    page: Page
    errors: list[str] = field(default_factory=list)  # console errors and page errors
    page_errors: list[str] = field(default_factory=list)
    failed_loads: list[str] = field(default_factory=list)  # "Failed to load resource" URLs


def watch(page: Page, address: str = "") -> Watched:
    """Collect the errors of ``page``, which will load ``address``. A failed request under
    the page's own folder is named relative to it: the plain page lives in another folder
    than the scripted one, and a relative address the page's own scripts load
    (Reuters' ad script loads "undefined") fails in both."""
    watched = Watched(page)
    folder = address.rsplit("/", 1)[0] + "/" if address else None

    def console(message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        if message.text.startswith("Failed to load resource"):
            # The browser's own line for a failed request: which request is in its place.
            url = message.location.get("url", "")
            if folder and url.startswith(folder) and "/" not in url[len(folder) :]:
                url = "./" + url[len(folder) :]
            watched.failed_loads.append(url)
            watched.errors.append(f"{message.text} [{url}]")
        else:
            watched.errors.append(message.text)

    def page_error(error: Exception) -> None:
        watched.errors.append(f"pageerror: {error}")
        watched.page_errors.append(str(error))

    page.on("console", console)
    page.on("pageerror", page_error)
    return watched


def new_errors(scripted: Watched, *plain: Watched) -> list[str]:
    """The errors of the scripted page that no plain load of the same page had."""
    seen = {error for watched in plain for error in watched.errors}
    return [error for error in scripted.errors if error not in seen]


# Every element under body in document order, keyed by its path from body (tag and index
# among its element siblings, the script's own elements and the newsroom's script tag
# left out so that the keys of the plain and the scripted page agree), with its box in
# document coordinates. On the scripted page only the elements before the list box and
# not around it count.
BOXES_JS = """
([own, desk]) => {
  const skip = (e) => e.matches(own) || (e.tagName === "SCRIPT" && e.src.startsWith(desk + "/"));
  const host = document.querySelector(".fcx-host[data-found]");
  const out = [];
  const walk = (parent, prefix) => {
    let n = 0;
    for (const child of parent.children) {
      if (skip(child)) continue;
      const key = `${prefix}/${child.tagName.toLowerCase()}[${n++}]`;
      const before =
        !host || child.compareDocumentPosition(host) & Node.DOCUMENT_POSITION_FOLLOWING;
      if (before && !child.contains(host)) {
        const r = child.getBoundingClientRect();
        out.push([key, r.x + scrollX, r.y + scrollY, r.width, r.height]);
      }
      if (!host || child.contains(host) || before) walk(child, key);
    }
  };
  walk(document.body, "body");
  return out;
}
"""


def boxes(page: Page, desk: str) -> dict[str, tuple[float, ...]]:
    return {key: tuple(box) for key, *box in page.evaluate(BOXES_JS, [OWN, desk])}


def moved(a: dict, b: dict, keys=None) -> list[str]:
    """The keys whose boxes differ by more than half a pixel (or are missing in ``b``)."""
    out = []
    for key in keys if keys is not None else a:
        if key not in b or any(abs(x - y) > 0.5 for x, y in zip(a[key], b[key], strict=True)):
            out.append(f"{key}: {a.get(key)} -> {b.get(key)}")
    return out


def load(context: BrowserContext, url: str) -> Watched:
    watched = watch(context.new_page(), url)
    watched.page.goto(url, wait_until="load")
    watched.page.wait_for_timeout(SETTLE)
    return watched


def wait_ready(page: Page) -> None:
    page.wait_for_selector(".fcx-host[data-found]", state="attached", timeout=READY_TIMEOUT)


# --- Checking what the script did ------------------------------------------------------
_QUOTES = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u2039\u203a", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
        **dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff", None),
    }
)


def fold(text: str) -> str:
    """Text as the passage comparison sees it: NFKD without combining marks, no soft
    hyphens or zero-width characters, straight quotes, "-" for dashes, no white space,
    lower case."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(_QUOTES)
    return "".join(text.split()).lower()


PASSAGE_TEXT_JS = """
(i) => {
  const marks = document.querySelectorAll(`mark.fcx-mark[data-fcx="${i}"]`);
  if (!marks.length) return null;
  const range = document.createRange();
  range.setStartBefore(marks[0]);
  range.setEndAfter(marks[marks.length - 1]);
  return range.toString();
}
"""


def found_passages(page: Page, published: PublishedPage) -> tuple[float, list[str]]:
    """The share of passages found, and the problems: a passage not found, or marked
    text that is not the passage."""
    problems = []
    found = 0
    for index, passage in enumerate(published.passages):
        marked = page.evaluate(PASSAGE_TEXT_JS, index)
        if marked is None:
            problems.append(f"passage {index} not marked: {passage!r}")
            continue
        found += 1
        if fold(marked) != fold(passage):
            problems.append(f"passage {index} marked as {marked!r}, not {passage!r}")
    return found / len(published.passages), problems


def load_all_found(context, url: str, published: PublishedPage):
    """Load ``url`` (a page with the script), wait for it, and check that every passage
    is marked exactly."""
    scripted = load(context, url)
    wait_ready(scripted.page)
    rate, problems = found_passages(scripted.page, published)
    assert rate == 1, problems
    assert not problems, problems
    return scripted


def claim_path(passage: str, language: str) -> str:
    claim = Claim.objects.get(claim_reviewed=passage)
    with translation.override(language):
        return claim.get_absolute_url()


def check_keyboard(page: Page, published: PublishedPage, language: str) -> None:
    """Every label opens its popover with Enter (Space for every second one); Escape
    closes it and gives the focus back to the label."""
    strings = STRINGS[language]
    labels = page.get_by_role("button", name=LABEL)
    count = labels.count()
    assert count >= 1
    dialog = page.get_by_role("dialog", name=strings["dialog"])
    for number in range(count):
        label = labels.nth(number)
        passage = published.passages[int(label.get_attribute("data-fcx"))]
        label.focus()
        page.keyboard.press("Space" if number % 2 else "Enter")
        expect(dialog).to_be_visible()
        expect(label).to_have_attribute("aria-expanded", "true")
        expect(dialog).to_contain_text(" ".join(passage.split()))
        link = dialog.get_by_role("link", name=re.compile("vollständigen Faktencheck|full fact"))
        href = link.get_attribute("href")
        assert href
        assert href.endswith(claim_path(passage, language)), (href, passage)
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
        expect(label).to_be_focused()
        expect(label).to_have_attribute("aria-expanded", "false")


def serious_violations(page: Page) -> list[str]:
    """axe-core on the script's own elements only: the publisher's page has its own."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(
            {include: [[".fcx-host"], [".fcx-label"], ["mark.fcx-mark"]]})"""
    )
    assert result["passes"], "axe ran no rule on the script's elements"
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


# --- 1. The five pages -----------------------------------------------------------------
@pytest.mark.parametrize("name", REALWORLD_PAGES)
def test_the_script_on_a_real_page(
    name, site, publisher, desk_url, context, editor, reviewer, capsys
):
    desk = desk_url
    published = publish_page(
        name, editor=editor, reviewer=reviewer, original_url=f"{publisher}/{name}"
    )
    language = page_language(published.html)
    site.page(f"/plain/{name}", published.html)
    site.page(f"/{name}", with_embed(published.html, desk, f"{publisher}/{name}"))

    # The page as it is, twice: what its own scripts make of it may differ between loads.
    plain = load(context, f"{publisher}/plain/{name}")
    plain_boxes = boxes(plain.page, desk)
    again = load(context, f"{publisher}/plain/{name}")
    unstable = {key.split(":")[0] for key in moved(plain_boxes, boxes(again.page, desk))}

    scripted = load(context, f"{publisher}/{name}")
    page = scripted.page
    wait_ready(page)

    # The found rate, for the note.
    rate, problems = found_passages(page, published)
    with capsys.disabled():
        print(
            f"\n{name}: found {rate:.0%} of {len(published.passages)} passages"
            f" ({len(unstable)} elements move between two plain loads)"
        )

    # Layout: nothing before the list box moved (elements the page itself moves between
    # two plain loads of its own are left out, and counted above).
    after = boxes(page, desk)
    assert len(after) > 50  # the page's elements, not an empty comparison
    missing = [key for key in after if key not in plain_boxes]
    assert not missing, f"elements not on the plain page: {missing[:10]}"
    shifted = moved(after, plain_boxes, [key for key in after if key not in unstable])
    assert not shifted, f"{len(shifted)} elements moved: {shifted[:10]}"

    # The box is at the end of the article: after every passage, in an element that
    # holds them all (not in a paragraph of its own).
    placement = page.evaluate(
        """() => {
            const box = document.querySelector(".fcx-host[data-found]");
            const marks = [...document.querySelectorAll("mark.fcx-mark")];
            return {
                parent: box.parentElement.localName,
                holdsAll: marks.every((mark) => box.parentElement.contains(mark)),
                afterAll: marks.every(
                    (mark) => mark.compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING
                ),
            };
        }"""
    )
    assert placement["holdsAll"], placement
    assert placement["afterAll"], placement
    assert placement["parent"] not in ("p", "span", "a", "li"), placement

    # Console: nothing the plain page did not have too.
    assert new_errors(scripted, plain, again) == []

    # The list: one entry per fact-check, found or not, made when the box comes near the
    # viewport; "Show in the article" goes to the passage's label.
    region = page.get_by_role("region", name=STRINGS[language]["list"])
    region.scroll_into_view_if_needed()
    expect(region.get_by_role("listitem")).to_have_count(len(published.passages))
    region.get_by_role("listitem").first.get_by_role("button").click()
    expect(page.get_by_role("button", name=LABEL).first).to_be_focused()

    # Found: at least 95 % of the passages, each marked exactly (asserted after what
    # does not depend on it, so that a page where passages are missed still tells the rest).
    assert rate >= 0.95, problems
    assert not problems, problems

    # Keyboard.
    check_keyboard(page, published, language)

    # Accessibility of the script's own elements, the popover closed and open.
    assert serious_violations(page) == []
    page.get_by_role("button", name=LABEL).first.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog")).to_be_visible()
    assert serious_violations(page) == []
    page.keyboard.press("Escape")

    # No cookies for the desk.
    assert context.cookies(desk) == []
    assert new_errors(scripted, plain, again) == []


# --- 2. The API down -------------------------------------------------------------------
GERMAN_PAGE = "spiegel.de.albtraum.html"


@pytest.mark.parametrize("failure", ["unreachable", "503"])
def test_nothing_shows_and_nothing_breaks_when_the_api_fails(
    failure, site, publisher, desk_url, context, editor, reviewer
):
    desk = desk_url
    name = GERMAN_PAGE
    published = publish_page(
        name, editor=editor, reviewer=reviewer, original_url=f"{publisher}/{name}"
    )
    site.page(f"/plain/{name}", published.html)
    site.page(f"/{name}", with_embed(published.html, desk, f"{publisher}/{name}"))
    plain = load(context, f"{publisher}/plain/{name}")

    scripted = watch(context.new_page(), f"{publisher}/{name}")
    page = scripted.page
    if failure == "unreachable":
        page.route(f"{desk}/api/**", lambda route: route.abort())
        with page.expect_event("requestfailed", lambda r: "/api/" in r.url):
            page.goto(f"{publisher}/{name}", wait_until="load")
    else:
        # A 503 the page may read (the CORS header is there): the script sees a failed
        # answer, not a blocked one.
        page.route(
            f"{desk}/api/**",
            lambda route: route.fulfill(
                status=503,
                content_type="application/problem+json",
                headers={"Access-Control-Allow-Origin": publisher},
                body='{"title": "Service Unavailable", "status": 503}',
            ),
        )
        with page.expect_response(lambda r: "/api/" in r.url):
            page.goto(f"{publisher}/{name}", wait_until="load")
    page.wait_for_timeout(SETTLE)

    assert page.locator("mark.fcx-mark, .fcx-labels, .fcx-host").count() == 0
    # The page's own scripts throw (their libraries from the CDNs are not there): the same
    # on the plain page. The script adds none.
    assert set(scripted.page_errors) <= set(plain.page_errors), scripted.page_errors
    # The browser itself logs "Failed to load resource" for the failed request; no script
    # can suppress that line, and it is the only new error allowed.
    extra = new_errors(scripted, plain)
    assert len(extra) <= 1, extra
    assert all(
        error.startswith("Failed to load resource") and f"[{desk}/api/" in error for error in extra
    ), extra


# --- 3. A page the desk has no fact-checks for -----------------------------------------
def test_a_page_without_fact_checks_gets_nothing(site, publisher, desk_url, context):
    desk = desk_url
    name = "dw.com.colonial.html"
    html = (Path(__file__).resolve().parent / "fixtures" / name).read_bytes()
    site.page(f"/unknown/plain/{name}", html)
    site.page(f"/unknown/{name}", with_embed(html, desk, f"{publisher}/unknown/{name}"))
    plain = load(context, f"{publisher}/unknown/plain/{name}")
    scripted = watch(context.new_page(), f"{publisher}/unknown/{name}")
    page = scripted.page
    with page.expect_response(lambda r: "/api/v1/annotations" in r.url) as answer:
        page.goto(f"{publisher}/unknown/{name}", wait_until="load")
    assert answer.value.status == 200
    page.wait_for_timeout(SETTLE)
    assert page.locator("mark.fcx-mark, .fcx-labels, .fcx-host").count() == 0
    assert new_errors(scripted, plain) == []


# --- 4. A strict Content Security Policy -----------------------------------------------
def test_the_script_works_under_a_strict_csp(site, publisher, desk_url, context, editor, reviewer):
    desk = desk_url
    name = "heise.de.lithium.html"
    published = publish_page(
        name, editor=editor, reviewer=reviewer, original_url=f"{publisher}/{name}"
    )
    csp = {
        "Content-Security-Policy": (
            f"default-src 'self'; script-src {publisher} {desk}; connect-src {desk}; "
            "style-src 'self'; img-src 'self' data:"
        )
    }
    site.page(f"/csp/plain/{name}", published.html, headers=csp)
    site.page(f"/{name}", with_embed(published.html, desk, f"{publisher}/{name}"), headers=csp)
    plain = load(context, f"{publisher}/csp/plain/{name}")
    assert any("Content Security Policy" in error for error in plain.errors)  # it is strict
    scripted = load_all_found(context, f"{publisher}/{name}", published)
    page = scripted.page

    label = page.get_by_role("button", name=LABEL).first
    passage = published.passages[int(label.get_attribute("data-fcx"))]
    dialog = page.get_by_role("dialog", name=STRINGS["de"]["dialog"])
    label.focus()
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(" ".join(passage.split()))
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(label).to_be_focused()

    # The page's own inline scripts and styles are refused on both loads; the script adds
    # no refusal of its own.
    assert new_errors(scripted, plain) == []


# --- 5. The article's address from <link rel="canonical"> -------------------------------
def test_the_script_finds_the_article_by_its_canonical_link(
    site, publisher, desk_url, context, editor, reviewer
):
    desk = desk_url
    name = "correctiv.org.zusage.html"
    address = f"{publisher}/{name}"
    published = publish_page(name, editor=editor, reviewer=reviewer, original_url=address)
    html, count = re.subn(
        rb'<link rel="canonical" href="[^"]*"',
        f'<link rel="canonical" href="{address}"'.encode(),
        published.html,
    )
    assert count == 1
    site.page(f"/canonical/plain/{name}", html)
    site.page(f"/canonical/{name}", with_embed(html, desk, None))
    plain = load(context, f"{publisher}/canonical/plain/{name}")
    scripted = load_all_found(context, f"{publisher}/canonical/{name}", published)
    page = scripted.page
    expect(page.get_by_role("button", name=LABEL)).to_have_count(len(published.passages))
    assert new_errors(scripted, plain) == []
