"""Issue #21's benchmark: the embed script (static/embed/factchecks.js) on a publisher's page,
measured in Chromium.

Used by ``scripts/bench.py`` (``--only embed``, and the full run), which sets up Django on a
throw-away database first: ``embed_section(runs)`` builds two published articles of the same
long text with 100 and 1,000 published passages, takes their annotations from the real API
(``/api/v1/articles/<slug>/annotations``), renders the text as a publisher's HTML page, serves
page, script (the real build, ``claims.views.embed_script.build``) and annotations from a
local HTTP server, and loads the page in Chromium (playwright) with and without the script.

Figures: (a) the script's own ``performance`` measure "factchecks" (its main-thread work
after the annotations arrived, forced layout included); (b) the main-thread time the script
adds to the page load, from the DevTools protocol's ``Performance.getMetrics``
(``TaskDuration`` with the script minus without it, same page, same wait); the sizes of the
script and the loader, gzip level 9; and, from a sampling profile of one more load of the
1,000-passage page, which of the script's functions the time goes to.
"""

import gzip
import html
import json
import os
import platform
import random
import re
import statistics
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from _common import free_port

ROOT = Path(__file__).resolve().parent.parent
HEADING = "## Embed script on a publisher's page (issue #21)"
CHROMIUM = os.environ.get("BENCH_CHROMIUM", "/usr/bin/chromium")
PARAGRAPHS = 1_000
PASSAGES = (100, 1_000)
# An article of a length that has 100 checked passages in real life (a long investigation,
# about 28,000 characters): the 100-passage budget is also measured on it.
SHORT_PARAGRAPHS = 150
SHORT = 100_000 + 100  # its key among the pages: 100 passages on the short article
BUDGET_MS = {100: 50, 1_000: 300}
BUDGET_BYTES = 10_240
# Real news pages the tests keep (tests/fixtures); their text as the importer extracts it.
NEWS_PAGES = ("correctiv.org.zusage.html", "spiegel.de.albtraum.html", "heise.de.lithium.html")
# (b) is trusted when its runs agree: max - min at most this share of the median (or 10 ms).
STABLE_SPREAD = 0.3

# Waits for the script's event (the page with it) or for the load event (the page without),
# then for two frames, so both are measured after the same kind of wait; records what the
# script reported.
INIT = """
window.__bench = new Promise((resolve) => {
  document.addEventListener("factchecks:ready", (event) => {
    window.__fcx = { total: event.detail.total, found: event.detail.found };
    resolve();
  });
});
"""
SETTLE = """async (withScript) => {
  if (withScript) await window.__bench;
  else if (document.readyState !== "complete")
    await new Promise((r) => addEventListener("load", r, { once: true }));
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const entry = performance.getEntriesByName("factchecks")[0];
  return { fcx: window.__fcx || null, measure: entry ? entry.duration : null };
}"""


# --- The articles --------------------------------------------------------------------------
def news_sentences() -> list[str]:
    """The sentences of the real German news the project keeps (three fixture pages, the
    seed article, and the German claims, passages and sentences of the evaluation set,
    tests/eval), each once."""
    from claims.importing.html import text_from_html
    from claims.text.sentences import sentences

    texts = [
        text_from_html((ROOT / "tests" / "fixtures" / name).read_bytes()).text
        for name in NEWS_PAGES
    ]
    texts.append((ROOT / "seeds" / "hanoi-summit-2019.de.txt").read_text(encoding="utf-8"))
    evaluation = ROOT / "tests" / "eval"
    for claim in json.loads((evaluation / "claims.json").read_text(encoding="utf-8")):
        if claim["language"] == "de":
            texts += [claim["claim"], *claim["passages"]]
    for pair in json.loads((evaluation / "pairs.json").read_text(encoding="utf-8")):
        if pair["language"] == "de":
            texts.append(pair["sentence"])
    found = {}
    for text in texts:
        for span in sentences(text, "de"):
            sentence = " ".join(text[span.start : span.end].split())
            if len(sentence.split()) >= 4:
                found[sentence] = None
    return list(found)


def vary_numbers(text: str, rng: random.Random) -> str:
    return re.sub(
        r"\d+", lambda m: str(rng.randint(10 ** (len(m[0]) - 1), 10 ** len(m[0]) - 1)), text
    )


def article_text(rng: random.Random, paragraphs_count: int = PARAGRAPHS) -> str:
    """``paragraphs_count`` paragraphs of one to three sentences of real news: the pool's sentences
    in random order, again and again, each repeat with other numbers."""
    pool = news_sentences()
    sentences: list[str] = []
    rounds = 0
    paragraphs = []
    for _ in range(paragraphs_count):
        picked = []
        for _ in range(rng.choice((1, 2, 2, 3))):
            if not sentences:
                sentences = rng.sample(pool, len(pool))
                if rounds:
                    sentences = [vary_numbers(sentence, rng) for sentence in sentences]
                rounds += 1
            picked.append(sentences.pop())
        paragraphs.append(" ".join(picked))
    return "\n\n".join(paragraphs)


def passage_spans(text: str, count: int, rng: random.Random) -> list[tuple[int, int]]:
    """``count`` passages spread over ``text``, as an editor marks them: sentences, every
    fourth only from its fourth word on; sentences that occur once in the text first (a
    real article does not repeat itself), then others, which only their context tells
    apart."""
    from claims.text.sentences import sentences

    spans = [(s.start, s.end) for s in sentences(text, "de") if s.end - s.start <= 400]
    unique = [(a, b) for a, b in spans if text.count(text[a:b]) == 1]
    single = set(unique)
    repeated = [span for span in spans if span not in single]
    chosen = rng.sample(unique, min(count, len(unique)))
    chosen += rng.sample(repeated, count - len(chosen))
    result = []
    for i, (start, end) in enumerate(sorted(chosen)):
        if i % 4 == 3:
            words = [m.start() for m in re.finditer(r"\S+", text[start:end])]
            if len(words) > 6:
                start += words[3]
        result.append((start, end))
    return result


def build_articles(rng: random.Random) -> tuple[str, dict[int, str], dict[int, int]]:
    """The article text and, for each of ``PASSAGES``, the slug of a published article of it
    with that many published passages (published claims with rating and conclusion), and
    how many of those passages' quotes occur more than once in the text."""
    from django.core.management import call_command
    from django.utils import timezone

    from claims.models import Article, ArticleRevision, Claim, Mention, Rating
    from claims.text import normalize

    call_command("migrate", verbosity=0)
    if not Rating.objects.exists():
        call_command("loadseeds", stdout=open(os.devnull, "w"))  # noqa: SIM115
    ratings = list(Rating.objects.all())
    long_text = normalize(article_text(rng))
    short_text = normalize(article_text(rng, SHORT_PARAGRAPHS))
    slugs, repeated, texts = {}, {}, {}
    for key in (*PASSAGES, SHORT):
        count = key % 100_000
        text = short_text if key == SHORT else long_text
        slug = f"bench-embed-{key}"
        article = Article.objects.create(
            title=f"Embed benchmark, {count} passages",
            slug=slug,
            status=Article.Status.PUBLISHED,
            language="de",
            original_url=f"https://news.example/2019/embed-{key}.html",
        )
        revision = ArticleRevision.objects.create(article=article, number=1, text=text)
        article.current_revision = revision
        article.save()
        text = revision.text  # as stored
        spans = passage_spans(text, count, rng)
        repeated[key] = sum(text.count(text[start:end]) > 1 for start, end in spans)
        texts[key] = text
        now = timezone.now()
        claims = Claim.objects.bulk_create(
            [
                Claim(
                    slug=f"{slug}-{i}",
                    claim_reviewed=text[start:end][:250],
                    conclusion="Die Zahl stimmt so nicht: Die Quelle nennt einen anderen Wert "
                    "für einen anderen Zeitraum.",
                    status=Claim.Status.PUBLISHED,
                    published_at=now,
                    rating=ratings[i % len(ratings)],
                    language="de",
                )
                for i, (start, end) in enumerate(spans)
            ],
            batch_size=500,
        )
        Mention.objects.bulk_create(
            [
                Mention.for_span(claim=claim, revision=revision, start=start, end=end)
                for claim, (start, end) in zip(claims, spans, strict=True)
            ],
            batch_size=500,
        )
        slugs[key] = slug
    return texts, slugs, repeated


# --- The publisher's page ---------------------------------------------------------------
def paragraph_html(paragraph: str, rng: random.Random) -> str:
    """A paragraph as a newsroom's CMS writes it: some words in a link or in ``<em>``, some
    spaces non-breaking (before units and after numbers), soft hyphens in long words."""
    words = paragraph.split(" ")
    out = []
    for word in words:
        escaped = html.escape(word, quote=False)
        if len(word) >= 12 and word.isalpha() and rng.random() < 0.3:
            middle = len(word) // 2
            escaped = html.escape(word[:middle]) + "&shy;" + html.escape(word[middle:])
        out.append(escaped)
    wrapped = set()
    for tag in ("a", "em"):
        if len(out) > 8 and rng.random() < 0.35:
            first = rng.randrange(0, len(out) - 4)
            last = first + rng.randint(0, 3)
            if wrapped.isdisjoint(range(first, last + 1)):
                wrapped.update(range(first, last + 1))
                opening = f'<a href="/thema/{rng.randint(1, 500)}">' if tag == "a" else "<em>"
                out[first] = opening + out[first]
                out[last] = out[last] + f"</{tag}>"
    joined = []
    for i, piece in enumerate(out):
        if i:
            number_before = words[i - 1][-1:].isdigit()
            joined.append("&nbsp;" if number_before or rng.random() < 0.02 else " ")
        joined.append(piece)
    return "<p>" + "".join(joined) + "</p>"


def publisher_page(text: str, title: str, *, script: bool) -> str:
    """The article's page on the publisher's site: header with navigation, the article's
    paragraphs, a related-articles box and a footer; the embed script as the newsroom adds
    it (``script``), else none."""
    rng = random.Random(21)  # the same markup with and without the script
    nav = "".join(f'<li><a href="/ressort/{n}">Ressort {n}</a></li>' for n in range(1, 9))
    body = "\n".join(paragraph_html(p, rng) for p in text.split("\n\n"))
    related = "".join(
        f'<li><a href="/artikel/{n}">Weiterer Artikel zum Thema, Teil {n}</a></li>'
        for n in range(1, 6)
    )
    tag = '<script src="/embed/x.js" data-api="/annotations" async></script>' if script else ""
    return f"""<!doctype html>
<html lang="de"><head><meta charset="utf-8">
<title>{html.escape(title)} | Nachrichten</title>
<link rel="canonical" href="https://news.example/2019/embed.html">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{{font:18px/1.6 Georgia,serif;margin:0;color:#222}}
header,footer{{background:#f3f3f3;padding:12px 24px}}
nav ul{{display:flex;gap:16px;list-style:none;margin:0;padding:0}}
main{{max-width:680px;margin:0 auto;padding:0 16px}}
a{{color:#0645ad}}
</style>
{tag}
</head><body>
<header><a href="/">Nachrichten</a><nav><ul>{nav}</ul></nav></header>
<main><article>
<h1>{html.escape(title)}</h1>
<p class="byline">Von Redaktion, 28. Februar 2019, 14:05 Uhr</p>
{body}
</article>
<aside><h2>Mehr zum Thema</h2><ul>{related}</ul></aside>
</main>
<footer><ul><li><a href="/impressum">Impressum</a></li><li><a href="/datenschutz">Datenschutz</a>
</li></ul><p>&copy; 2019 Nachrichten</p></footer>
</body></html>
"""


class Site:
    """The publisher's site on loopback: ``/with/<n>`` and ``/without/<n>`` (the page of the
    ``n``-passage article with and without the script), ``/embed/x.js`` (the script) and
    ``/annotations?url=…`` (the annotations of the article whose page asked, by Referer)."""

    def __init__(self, pages: dict[str, bytes], script: bytes, annotations: dict[int, bytes]):
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                path = self.path.split("?")[0]
                if path == "/embed/x.js":
                    self.answer(site.script, "text/javascript; charset=utf-8")
                elif path == "/annotations":
                    count = int((self.headers.get("Referer") or "0").rstrip("/").split("/")[-1])
                    self.answer(site.annotations[count], "application/ld+json")
                elif path in site.pages:
                    self.answer(site.pages[path], "text/html; charset=utf-8")
                else:
                    self.send_error(404)

            def answer(self, body: bytes, kind: str):
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.pages, self.script, self.annotations = pages, script, annotations
        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


# --- Measuring ------------------------------------------------------------------------------
def load(browser, url: str, *, with_script: bool, profile: bool = False) -> dict:
    """One page load in a fresh browser context: the DevTools metrics after the wait, what
    the script reported, and (``profile``) a sampling CPU profile of the load."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.add_init_script(INIT)
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        if profile:
            cdp.send("Profiler.enable")
            cdp.send("Profiler.setSamplingInterval", {"interval": 100})
            cdp.send("Profiler.start")
        page.goto(url, wait_until="commit")
        seen = page.evaluate(SETTLE, with_script)
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        result = {
            "task": metrics["TaskDuration"] * 1000,
            "script": metrics["ScriptDuration"] * 1000,
            "layout": metrics["LayoutDuration"] * 1000,
            "style": metrics["RecalcStyleDuration"] * 1000,
            **seen,
        }
        if profile:
            result["profile"] = cdp.send("Profiler.stop")["profile"]
        return result
    finally:
        context.close()


def self_times(profile: dict, script_url: str) -> list[tuple[str, float]]:
    """Self time (ms) per function of the CPU ``profile``: the script's functions by name,
    everything the browser does for them (DOM calls, layout, garbage collection) under its
    own name; the largest first."""
    nodes = {node["id"]: node for node in profile["nodes"]}
    deltas = profile["timeDeltas"]
    totals: dict[str, float] = {}
    for sample, delta in zip(profile["samples"][1:], deltas[1:], strict=True):
        frame = nodes[sample]["callFrame"]
        name = frame["functionName"] or "(anonymous)"
        if frame["url"] == script_url:
            name = f"factchecks.js {name} (line {frame['lineNumber'] + 1})"
        elif frame["url"]:
            name = f"{name} ({frame['url'].rsplit('/', 1)[-1]})"
        totals[name] = totals.get(name, 0) + delta / 1000
    skip = {"(idle)", "(program)", "(root)"}
    return sorted(
        ((name, ms) for name, ms in totals.items() if name not in skip),
        key=lambda item: -item[1],
    )


TRACE_CATEGORIES = "devtools.timeline,blink.user_timing,v8,disabled-by-default-devtools.timeline"


def trace_breakdown(browser, url: str) -> list[tuple[str, float]]:
    """Self time (ms) per kind of trace event on the page's main thread within the script's
    own measure ("factchecks"), from a Chromium trace of one load of ``url``: layout and
    style recalculation apart from JavaScript, the largest first."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.add_init_script(INIT)
        browser.start_tracing(page=page, categories=TRACE_CATEGORIES.split(","))
        page.goto(url, wait_until="commit")
        page.evaluate(SETTLE, True)
        events = json.loads(browser.stop_tracing())["traceEvents"]
    finally:
        context.close()
    marks = [e for e in events if e.get("name") == "factchecks" and e.get("ph") in "be"]
    if len(marks) < 2:
        return []
    begin = min(e["ts"] for e in marks)
    end = max(e["ts"] for e in marks)
    thread = next(
        (e["pid"], e["tid"])
        for e in events
        if e.get("name") == "thread_name"
        and e["args"].get("name") == "CrRendererMain"
        and any(m["pid"] == e["pid"] for m in marks)
    )
    spans = sorted(
        (
            e
            for e in events
            if e.get("ph") == "X"
            and (e["pid"], e["tid"]) == thread
            and "dur" in e
            and begin <= e["ts"]
            and e["ts"] + e["dur"] <= end
        ),
        key=lambda e: (e["ts"], -e["dur"]),
    )
    totals: dict[str, float] = {}
    stack: list[dict] = []
    for event in spans:
        while stack and event["ts"] >= stack[-1]["ts"] + stack[-1]["dur"]:
            stack.pop()
        if stack:
            parent = stack[-1]
            totals[parent["name"]] = totals.get(parent["name"], 0) - event["dur"] / 1000
        totals[event["name"]] = totals.get(event["name"], 0) + event["dur"] / 1000
        stack.append(event)
    measured = (end - begin) / 1000
    covered = sum(totals.values())
    rows = sorted(((n, ms) for n, ms in totals.items() if ms >= 0.5), key=lambda r: -r[1])
    rest = ("(rest: inside no traced event)", measured - covered)
    return [("(the measure)", measured), *rows, rest]


def run_benchmark(runs: int) -> dict:
    from django.test import Client
    from playwright.sync_api import sync_playwright

    from claims.views.embed_script import build

    rng = random.Random(20190228)
    texts, slugs, repeated = build_articles(rng)
    text = texts[PASSAGES[0]]
    client = Client()
    annotations, pages = {}, {}
    for key, slug in slugs.items():
        count = key % 100_000
        response = client.get(f"/api/v1/articles/{slug}/annotations")
        assert response.status_code == 200, (slug, response.status_code)
        assert response.json()["total"] == count, (count, response.json()["total"])
        annotations[key] = response.content
        title = f"Gipfel in Hanoi: Was bleibt, {count} geprüfte Stellen"
        pages[f"/with/{key}"] = publisher_page(texts[key], title, script=True).encode()
        pages[f"/without/{key}"] = publisher_page(texts[key], title, script=False).encode()
    script = {language: build(language)[1] for language in ("de", "en")}
    loader = client.get("/embed.js").content
    data = {
        "characters": len(text),
        "paragraphs": text.count("\n\n") + 1,
        "short": {
            "characters": len(texts[SHORT]),
            "paragraphs": texts[SHORT].count("\n\n") + 1,
            "page_bytes": len(pages[f"/with/{SHORT}"]),
        },
        "repeated": repeated,
        "page_bytes": len(pages[f"/with/{PASSAGES[0]}"]),
        "json_bytes": {count: len(body) for count, body in annotations.items()},
        "sizes": {
            **{
                f"script {language}": (len(body.encode()), len(gzip.compress(body.encode(), 9)))
                for language, body in script.items()
            },
            "loader": (len(loader), len(gzip.compress(loader, 9))),
        },
        "results": {},
    }
    site = Site(pages, script["de"].encode(), annotations)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
            data["chromium"] = browser.version
            for count in (SHORT, *PASSAGES):
                with_url, without_url = f"{site.base}/with/{count}", f"{site.base}/without/{count}"
                load(browser, with_url, with_script=True)  # warm-up, not counted
                load(browser, without_url, with_script=False)
                rows = []
                for _ in range(runs):
                    with_ = load(browser, with_url, with_script=True)
                    without = load(browser, without_url, with_script=False)
                    rows.append((with_, without))
                data["results"][count] = rows
            largest = f"{site.base}/with/{PASSAGES[-1]}"
            profiled = load(browser, largest, with_script=True, profile=True)
            data["profile"] = self_times(profiled["profile"], f"{site.base}/embed/x.js")[:12]
            data["trace"] = {
                count: trace_breakdown(browser, f"{site.base}/with/{count}") for count in PASSAGES
            }
            browser.close()
    finally:
        site.close()
    return data


# --- The section ----------------------------------------------------------------------------
def num(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        memory = float("nan")
    return f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB memory, {platform.system()}"


def embed_section(runs: int) -> str:
    """Issue #21's figures as a Markdown section for docs/performance.md."""
    data = run_benchmark(runs)
    short = data["short"]
    lines = [
        HEADING,
        "",
        f"Measured on {date.today().isoformat()} by `scripts/bench.py --only embed --runs {runs}` "
        f"(`scripts/bench_embed.py`) in headless Chromium {data['chromium']} (playwright), "
        f"on {machine()}.",
        "",
        f"The article: {num(data['paragraphs'])} paragraphs, {num(data['characters'])} "
        "characters of real German news (the sentences of three fixture pages, the seed "
        "article and the German texts of the evaluation set, tests/eval, in random order, "
        "again and again, each round after the first with other numbers, in paragraphs of "
        "one to three), published twice, with 100 and with 1 000 published passages: "
        "published claims with a rating (the seed scale's colours in turn) and a conclusion, "
        "on sentences, every fourth only from its fourth word on; sentences that occur once "
        "in the text first, but there are not enough of them for 1 000 passages: "
        f"{data['repeated'][PASSAGES[0]]} of the 100 and {num(data['repeated'][PASSAGES[-1]])} "
        "of the 1 000 quotes occur more than once in the page, only their context (prefix, "
        "suffix) and position tell which. "
        "Their annotations come from the real endpoint (`/api/v1/articles/<slug>/annotations`, "
        f"{num(data['json_bytes'][PASSAGES[0]] / 1024)} KB and "
        f"{num(data['json_bytes'][PASSAGES[-1]] / 1024)} KB of JSON). The publisher's page "
        f"({num(data['page_bytes'] / 1024)} KB of HTML) has a header with navigation, every "
        "paragraph a `<p>` with links and `<em>` in about a third of them, `&nbsp;` after "
        "numbers, soft hyphens in long words, a related-articles box and a footer. A local "
        '`ThreadingHTTPServer` serves the page, the script (`build("de")`, added as '
        '`<script src="/embed/x.js" data-api="/annotations" async>`, without the loader) '
        "and the annotations, so the figures are Chromium's work, not the desk's server's. "
        f"The 100-passage budget is measured twice: on that page, and on an article of a "
        f"length that has 100 checked passages in real life, {num(short['paragraphs'])} "
        f"paragraphs and {num(short['characters'])} characters of the same news "
        f"({num(short['page_bytes'] / 1024)} KB of HTML): the script reads the whole page's "
        "text once, so its time grows with the page as well as with the passages.",
        "",
        f"Each figure: median and max of {runs} page loads, each in a fresh browser context "
        "(1280×800), after one load not counted. (a) is the script's own "
        '`performance.measure("factchecks")`: its main-thread work after the annotations '
        "arrived, up to `factchecks:ready`, including the layout it forces. (b) is what the "
        "script adds to the page's main thread: the DevTools protocol's `TaskDuration` "
        "(`Performance.getMetrics`) with the script minus the same page without it, both read "
        "two frames after `factchecks:ready` (with) or the load event (without); each run's "
        "with-load is paired with a without-load. Script, layout and style are the same "
        "difference for `ScriptDuration`, `LayoutDuration` and `RecalcStyleDuration`.",
        "",
        "| passages | found | (a) script's measure | (b) main thread added | … of it script "
        "| … layout | … style | page without script |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def stat(values: list[float]) -> str:
        return f"{statistics.median(values):.0f} ms (max {max(values):.0f})"

    def label(key: int) -> str:
        if key == SHORT:
            return f"100, article of {num(short['characters'])} characters"
        return f"{num(key)}, article of {num(data['characters'])} characters"

    verdict_rows = []
    for key in (SHORT, *PASSAGES):
        count = key % 100_000
        rows = data["results"][key]
        found = {(w["fcx"] or {}).get("found") for w, _ in rows}
        total = {(w["fcx"] or {}).get("total") for w, _ in rows}
        measure = [w["measure"] for w, _ in rows]
        added = [w["task"] - wo["task"] for w, wo in rows]
        diff = {key: [w[key] - wo[key] for w, wo in rows] for key in ("script", "layout", "style")}
        base = [wo["task"] for _, wo in rows]
        found_text = " / ".join(str(f) for f in sorted(found, key=str))
        total_text = " / ".join(str(t) for t in sorted(total, key=str))
        lines.append(
            f"| {label(key)} | {found_text} of {total_text} | {stat(measure)} | {stat(added)} | "
            f"{stat(diff['script'])} | {stat(diff['layout'])} | {stat(diff['style'])} | "
            f"{stat(base)} |"
        )
        median_added = statistics.median(added)
        stable = max(added) - min(added) <= max(10, STABLE_SPREAD * median_added)
        judged, by = (median_added, "(b)") if stable else (statistics.median(measure), "(a)")
        why = (
            "judged by (b): its runs agree"
            if stable
            else f"judged by (a): (b) varies from {min(added):.0f} to {max(added):.0f} ms"
        )
        verdict_rows.append(
            (
                f"Main-thread work, {label(key)}: {BUDGET_MS[count]} ms or less",
                f"{by} {judged:.0f} ms median ({why}); found {found_text} of {total_text}",
                judged <= BUDGET_MS[count] and found == total == {count},
            )
        )
    sizes = data["sizes"]
    lines += [
        "",
        "| file | bytes | gzip -9 |",
        "|---|---:|---:|",
        *(
            f"| {name} | {num(raw)} | {num(packed)} |"
            for name, (raw, packed) in (
                ('the script, German (`build("de")`)', sizes["script de"]),
                ('the script, English (`build("en")`)', sizes["script en"]),
                ("the loader (`/embed.js`)", sizes["loader"]),
            )
        ),
    ]
    largest = max(sizes["script de"][1], sizes["script en"][1])
    verdict_rows.insert(
        0,
        (
            f"The script: {num(BUDGET_BYTES)} bytes (10 KB) or less, gzip, no dependencies",
            f"{num(sizes['script de'][1])} bytes (de), {num(sizes['script en'][1])} (en); "
            f"loader {num(sizes['loader'][1])}; no imports",
            largest <= BUDGET_BYTES,
        ),
    )
    trace = data["trace"]
    if all(trace.values()):
        names = [name for name, _ms in trace[PASSAGES[-1]]]
        names += [name for name, _ms in trace[PASSAGES[0]] if name not in names]
        by_count = {count: dict(rows) for count, rows in trace.items()}
        lines += [
            "",
            "Where the time of (a) goes: self time of the main thread's trace events inside "
            'the script\'s measure "factchecks", in a Chromium trace (`devtools.timeline`, '
            "`v8`) of one more load of each page. `Layout` and `UpdateLayoutTree` (style) are "
            "the browser's work the script's changes cause (the forced layout at its end and "
            "the style of the adopted sheet; when the script runs before the page's first layout, "
            "`Layout` includes that layout, which the page does anyway: (b) does not count "
            "it); `v8.*` events and `FunctionCall` are JavaScript, garbage collection included.",
            "",
            "| trace event | 100 passages | 1 000 passages |",
            "|---|---:|---:|",
            *(
                f"| {name} | "
                + " | ".join(
                    f"{by_count[c][name]:.1f} ms" if name in by_count[c] else "—" for c in PASSAGES
                )
                + " |"
                for name in names
            ),
        ]
    lines += [
        "",
        "Where the time goes, 1 000 passages: self time by function in a sampling CPU profile "
        "(DevTools `Profiler`, 100 µs) of one more load of the page with the script (the "
        "profiler slows the page down, so these add up to more than the table's figures; "
        "what the browser does on the script's behalf, such as DOM calls, style and layout, "
        "is under its own name).",
        "",
        "| function | self time |",
        "|---|---:|",
        *(f"| {name} | {ms:.1f} ms |" for name, ms in data["profile"]),
        "",
        "### Budgets",
        "",
        "| budget | measured | |",
        "|---|---|---|",
        *(
            f"| {budget} | {measured} | {'**met**' if ok else '**NOT met**'} |"
            for budget, measured, ok in verdict_rows
        ),
        "",
    ]
    return "\n".join(lines)
