#!/usr/bin/env python
"""The archive at scale (issue #22): pages and desk lists on 1,000, 10,000 and 100,000 claims.

    make bench-scale
    .venv/bin/python scripts/bench_scale.py [--sizes 1000 10000] [--runs 9] [--write]

For each size, a fresh PostgreSQL database (``BENCH_SCALE_DATABASE_URL``, default
postgres://postgres@127.0.0.1:5432/factcheck_scale; the size is appended to the name) is
migrated, seeded and filled by scripts/archive.py; then every page and list the issue names
is requested through Django's test client with production settings minus HTTPS (server
time: request to response, no network; public pages with a cleared page cache), the
median of ``--runs`` runs after one warm-up, with its query count. Writes at 100,000 claims
are compared with 1,000, ``purgereaderinput`` runs over the archive's reader input, and the
load test (scripts/loadtest.py) runs once against the largest archive.

Each size is measured in its own process (``--measure SIZE --json FILE``), so that every
size starts from a cold process and its own database. ``--write`` puts the growth table
into docs/performance.md; ``--check`` exits 1 when a budget is missed.
"""

import argparse
import itertools
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SIZES = (1_000, 10_000, 100_000)
HEADING = "## Archive scale (issue #22)"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/factcheck_scale"
BROWSER = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
API_CLAIMS = "/api/v1/claims?limit=100"
DEMO_ARTICLE = "trump-daempft-erwartungen-an-nordkoreas-abruestung"

# (key, what, budget in ms at 100,000 claims or None); the order of the table.
FIGURES = [
    ("claim_page", "Public claim page (uncached)", 30),
    ("article_page", "Public article page, the demo article (uncached)", 30),
    ("article_busiest", "… the archive's busiest article (most passages; grows with it)", None),
    ("home", "Home page with the verdict chart (page uncached, chart counts cached)", 30),
    ("home_cold", "… right after a change: page and chart counts both computed", None),
    ("articles_index", "Articles index, first page", 50),
    ("articles_index_50", "Articles index, 50th page", 50),
    ("claims_index", "Claims index, first page", 50),
    ("claims_index_50", "Claims index, 50th page", 50),
    ("search_rare", "Claims index, search for a rare word", 50),
    ("search_two", "Claims index, two words + verdict and language filters", 50),
    ("search_common_50", "Claims index, a common word, 50th page", 50),
    ("search_commonest", "… the commonest word (a stop word), first page", None),
    ("sitemap_index", "Sitemap index", 200),
    ("sitemap_section", "Sitemap, slowest section", 200),
    ("feed_claims", "Atom feed of claims", 50),
    ("feed_corrections", "Atom feed of corrections", 50),
    ("desk_home", "Desk dashboard", 50),
    ("review_queue", "Review queue", 50),
    ("assigned", "Desk claim list (published), first page", 50),
    ("notifications", "Notifications of the busy editor", 50),
    ("timeline", "A claim's timeline (history)", 30),
    ("admin_claims", "Admin: claims", 200),
    ("admin_claims_filtered", "Admin: claims, status filter + search", 200),
    ("admin_tips", "Admin: tips", 200),
    ("admin_tips_filtered", "Admin: tips, status filter + search", 200),
    ("admin_reports", "Admin: error reports", 200),
    ("admin_reports_filtered", "Admin: error reports, reason filter + search", 200),
    ("admin_events", "Admin: claim events (2,000,000 at full size)", 200),
    ("api_first", "API claim list, first page of 100", 30),
    ("api_deep", "API claim list, page of 100 after 50,000 claims (cursor)", 30),
    ("mark", "Mark claim in the demo article (htmx POST)", None),
    ("save", "Save claim panel (htmx POST)", None),
]


# --- One size, in its own process ------------------------------------------------------
def database_url(size: int) -> str:
    base = urlsplit(os.environ.get("BENCH_SCALE_DATABASE_URL", DEFAULT_URL))
    return urlunsplit(base._replace(path=f"{base.path.rstrip('/')}_{size}"))


def recreate(url: str, *, drop_only: bool = False) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if not drop_only:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def measure_size(size: int, runs: int, out: Path, *, keep: bool, seed: int) -> None:
    url = database_url(size)
    started = time.perf_counter()
    recreate(url)
    os.environ["DATABASE_URL"] = url
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    os.environ.setdefault("FACTCHECK_API_RATE_LIMIT", "1000000")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.core.management import call_command

    quiet = open(os.devnull, "w")  # noqa: SIM115
    call_command("migrate", verbosity=0, stdout=quiet)
    call_command("loadseeds", stdout=quiet)
    migrated = time.perf_counter() - started

    from scripts.archive import generate

    summary = generate(size, seed=seed)
    built = time.perf_counter() - started
    result = {
        "size": size,
        "seed": seed,
        "rows": summary.rows,
        "total_rows": summary.total_rows,
        "build_seconds": built,
        "migrate_seconds": migrated,
        "generate_seconds": summary.seconds,
        "figures": {},
        "notes": [],
    }
    result["figures"] = figures(summary, runs, result["notes"])
    result["purge"] = purge_figure()
    out.write_text(json.dumps(result, indent=1, default=str))
    if not keep:
        from django.db import connections

        connections.close_all()
        recreate(url, drop_only=True)


def targets(summary, notes: list) -> tuple[dict, list[tuple[str, str, object, bool]]]:
    """The clients (reader, desk, reviewer, admin) and the requests measured: (figure key,
    client, URL, how). ``how`` is False for desk pages; True for public pages, asked for
    at a new address each time (``?uncached=N``) so that the page cache misses and the page
    is rendered, while what is kept per change to the public content (``per_generation``:
    the verdict chart's counts, the claims' languages) stays as it is between changes;
    "cold" for the first rendering after a change, with every cache emptied.
    tests/test_archive_scale.py requests the same list on a small archive and checks the
    query counts."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from claims.models import Article, Claim, Rating
    from scripts.archive import pick_word

    user_model = get_user_model()
    busy = user_model.objects.get(username=summary.busy_editor)
    admin, _ = user_model.objects.get_or_create(
        username="archive-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    reviewer = user_model.objects.get(username="archive-reviewer-1")
    clients = {"reader": Client(), "desk": Client(), "review": Client(), "staff": Client()}
    clients["desk"].force_login(busy)
    clients["review"].force_login(reviewer)
    clients["staff"].force_login(admin)

    published = Claim.objects.published()
    middle = published.order_by("pk")[published.count() // 2]
    busiest = (
        Article.objects.published()
        .annotate(n=Count("current_revision__mentions"))
        .order_by("-n", "pk")
        .first()
    )
    demo = Article.objects.get(slug=DEMO_ARTICLE)
    rating = Rating.objects.order_by("pk").first()
    words = summary.words["de"]
    target = max(3, summary.claims // 1000)  # rare: about 0.1 % of claims
    rare = pick_word(words, target)
    second = pick_word(words, target * 10)
    # Common: in about 1,200 claims, so that the index has a 50th page of 20 (at 100,000
    # claims); the commonest word of all (a stop word) is measured on its first page.
    common = pick_word(words, 1200)
    commonest = words[0][0]
    counts = dict(words)
    notes.append(
        f"search words: rare “{rare}” ({counts[rare]} claims), with “{second}” "
        f"({counts[second]}), common “{common}” ({counts[common]}), commonest “{commonest}” "
        f"({counts[commonest]}); claim page "
        f"{middle.get_absolute_url()}, article page {busiest.get_absolute_url()} "
        f"({busiest.n} passages)"
    )
    claims_url, articles_url = reverse("claims:claims"), reverse("claims:articles")
    return clients, [
        ("claim_page", "reader", middle.get_absolute_url(), True),
        ("article_page", "reader", demo.get_absolute_url(), True),
        ("article_busiest", "reader", busiest.get_absolute_url(), True),
        ("home", "reader", reverse("claims:home"), True),
        ("home_cold", "reader", reverse("claims:home"), "cold"),
        ("articles_index", "reader", articles_url, True),
        ("articles_index_50", "reader", f"{articles_url}?page=50", True),
        ("claims_index", "reader", claims_url, True),
        ("claims_index_50", "reader", f"{claims_url}?page=50", True),
        ("search_rare", "reader", f"{claims_url}?q={rare}", True),
        (
            "search_two",
            "reader",
            f"{claims_url}?q={rare}+{second}&rating={rating.slug}&language=de",
            True,
        ),
        ("search_common_50", "reader", f"{claims_url}?q={common}&page=50", True),
        ("search_commonest", "reader", f"{claims_url}?q={commonest}", True),
        ("feed_claims", "reader", reverse("claims:feed-claims"), True),
        ("feed_corrections", "reader", reverse("claims:feed-corrections"), True),
        ("desk_home", "desk", reverse("claims:desk"), False),
        ("review_queue", "review", reverse("claims:desk-review-queue"), False),
        ("assigned", "desk", reverse("claims:desk-claims") + "?status=published", False),
        ("notifications", "desk", reverse("claims:desk-notifications"), False),
        ("timeline", "desk", reverse("claims:desk-claim-history", args=[middle.pk]), False),
        ("admin_claims", "staff", "/admin/claims/claim/", False),
        (
            "admin_claims_filtered",
            "staff",
            f"/admin/claims/claim/?status__exact=published&q={rare}",
            False,
        ),
        ("admin_tips", "staff", "/admin/claims/tip/", False),
        ("admin_tips_filtered", "staff", f"/admin/claims/tip/?status__exact=new&q={rare}", False),
        ("admin_reports", "staff", "/admin/claims/errorreport/", False),
        (
            "admin_reports_filtered",
            "staff",
            f"/admin/claims/errorreport/?reason__exact=other&q={rare}",
            False,
        ),
        ("admin_events", "staff", "/admin/claims/claimevent/", False),
        ("api_first", "reader", API_CLAIMS, False),
        # The sitemap's sections are all measured by sitemap_figures(); these two keep
        # their query counts checked by the test.
        ("sitemap_claims", "reader", "/sitemap-claims.xml", True),
        ("sitemap_articles", "reader", "/sitemap-articles.xml", True),
    ]


def figures(summary, runs: int, notes: list) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from claims.caching import clear_all_caches
    from claims.models import Article, Mention
    from scripts._common import form_data, spread

    clients, requests = targets(summary, notes)
    reader, desk = clients["reader"], clients["desk"]

    def timed(fn) -> dict:
        fn()  # warm-up
        with CaptureQueriesContext(connection) as queries:
            response = fn()
        # Counted now: every request empties the connection's query log (request_started).
        query_count = len(queries)
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1000)
        return spread(times) | {"queries": query_count, "status": response.status_code}

    fresh = iter(range(1, 1_000_000))

    def get(client, url, *, public=False, **headers):
        def fetch():
            address = url
            if public == "cold":
                clear_all_caches()
            elif public:
                address += f"{'&' if '?' in url else '?'}uncached={next(fresh)}"
            response = client.get(address, **BROWSER, **headers)
            if response.status_code != 200:
                raise RuntimeError(f"{address} answered {response.status_code}")
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
            return response

        return timed(fetch)

    results = {}
    for key, client, url, public in requests:
        results[key] = get(clients[client], url, public=public)
    results.update(sitemap_figures(reader, get))
    results.update(api_figures(reader, get))

    # Writes: mark a passage in the demo article (the same at every size: what changes is
    # the archive around it), then save the new claim's panel.
    article = Article.objects.get(slug=DEMO_ARTICLE)
    revision = article.current_revision
    text = revision.text
    taken = list(Mention.objects.filter(revision=revision).values_list("start", "end"))
    spans = iter(free_passages(text, taken))
    mark_url = reverse("claims:desk-mark", args=[article.pk])
    htmx = {"HTTP_HX_REQUEST": "true"}
    marked: list[int] = []

    def mark_once():
        start, end, exact = next(spans)
        response = desk.post(
            mark_url,
            {"revision": revision.pk, "start": start, "end": end, "exact": exact},
            **htmx,
        )
        if response.status_code != 200:
            raise RuntimeError(f"mark answered {response.status_code}: {response.content[:300]}")
        # A new claim's panel, or (for a passage like a claim already checked) the
        # similar claims to link instead: both are what marking answers.
        if "HX-Push-Url" in response:
            marked.append(int(response["HX-Push-Url"].rstrip("/").rsplit("/", 1)[1]))
        return response

    results["mark"] = timed(mark_once)
    if not marked:  # every passage was like a checked claim: mark one as new regardless
        start, end, exact = next(spans)
        response = desk.post(
            mark_url,
            {"revision": revision.pk, "start": start, "end": end, "exact": exact, "new": "1"},
            **htmx,
        )
        marked.append(int(response["HX-Push-Url"].rstrip("/").rsplit("/", 1)[1]))
    claim_pk = marked[-1]
    panel_url = reverse("claims:desk-claim", args=[article.pk, claim_pk])
    saves = iter(range(1, 1000))

    def save_once() -> tuple[float, int]:
        """Open the panel (untimed), then save it: the save's time and queries."""
        panel = desk.get(panel_url, **htmx)
        data = form_data(panel.content.decode(), "claim-form")
        data["explanation"] = f"Checked at archive scale, edit {next(saves)}."
        with CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            response = desk.post(panel_url, data, **htmx)
            elapsed = (time.perf_counter() - t0) * 1000
            query_count = len(queries)
        if response.status_code != 200:
            raise RuntimeError(f"save answered {response.status_code}")
        return elapsed, query_count

    save_once()  # warm-up
    saved = [save_once() for _ in range(runs)]
    times = [elapsed for elapsed, _queries in saved]
    results["save"] = spread(times) | {"queries": saved[0][1], "status": 200}
    return results


def sitemap_figures(reader, get) -> dict:
    import re

    from django.test import Client

    index = reader.get("/sitemap.xml")
    if index.status_code != 200:
        raise RuntimeError(f"/sitemap.xml answered {index.status_code}")
    body = index.content.decode()
    sections = [urlsplit(u) for u in re.findall(r"<loc>([^<]+)</loc>", body)]
    figures = {"sitemap_index": get(reader, "/sitemap.xml", public=True)}
    if "<sitemapindex" not in body:
        figures["sitemap_section"] = figures["sitemap_index"]
        figures["sitemap_section"]["note"] = "one sitemap, no index"
        return figures
    slowest, count = None, 0
    for section in sections:
        path = section.path + (f"?{section.query}" if section.query else "")
        figure = get(Client(), path, public=True)
        count += 1
        if slowest is None or figure["median"] > slowest["median"]:
            slowest = figure | {"section": path}
    figures["sitemap_section"] = slowest | {"sections": count}
    return figures


def api_figures(reader, get) -> dict:
    import re

    cursor = API_CLAIMS
    for _ in range(500):  # follow the cursor 500 pages of 100 deep (50,000 claims)
        response = reader.get(cursor)
        link = re.search(r'<([^>]+)>; rel="next"', response.get("Link", ""))
        found = link.group(1) if link else json.loads(response.content).get("next")
        if not found:
            break
        cursor = found.replace("http://testserver", "")
    return {"api_deep": get(reader, cursor)}


def free_passages(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Passages an editor might mark that overlap no marked one: four words at a time,
    each passage's words apart from every other's (so no marking meets an earlier one)."""
    words = [(m.start(), m.end()) for m in re.finditer(r"[^\s]+", text)]
    passages = []
    for index in range(0, len(words) - 4, 4):
        start, end = words[index][0], words[index + 3][1]
        if any(a < end and start < b for a, b in taken):
            continue
        passages.append((start, end, text[start:end]))
    return passages


def purge_figure() -> dict:
    """``purgereaderinput`` over the archive's tips and reports (those past retention go)."""
    from io import StringIO

    from django.core.management import call_command

    from claims.models import ErrorReport, Tip

    before = Tip.objects.count() + ErrorReport.objects.count()
    t0 = time.perf_counter()
    call_command("purgereaderinput", stdout=StringIO())
    seconds = time.perf_counter() - t0
    after = Tip.objects.count() + ErrorReport.objects.count()
    return {"rows": before, "deleted": before - after, "seconds": seconds}


# --- The report ------------------------------------------------------------------------
def growth(values: list[float], sizes: list[int]) -> str:
    """How a figure grows over the sizes: constant, logarithmic, linear, or n^b."""
    if len(values) < 2 or min(values) <= 0:
        return "—"
    first, last = values[0], values[-1]
    exponent = math.log(last / first) / math.log(sizes[-1] / sizes[0])
    if last <= first * 1.5 or exponent < 0.08:
        return "constant"
    if exponent >= 0.75:
        return "linear"
    if len(values) >= 3:
        steps = [b - a for a, b in itertools.pairwise(values)]
        if all(step > 0 for step in steps) and max(steps) <= 2.5 * min(steps):
            return "logarithmic"
    return f"sub-linear (n^{exponent:.2f})"


def render(results: list[dict], loadtest: str | None) -> str:
    sizes = [r["size"] for r in results]
    largest = results[-1]
    head = (
        "| what | "
        + " | ".join(f"{s:,} claims" for s in sizes)
        + " | growth | budget at 100,000 | |"
    )
    lines = [
        HEADING,
        "",
        f"Measured on {date.today().isoformat()} by `make bench-scale` "
        "(`scripts/bench_scale.py`), "
        "PostgreSQL, median of the runs after one warm-up, with the query count (q). Server "
        "time through Django's test client (no network), production settings minus HTTPS. "
        "Public pages are uncached: asked for at a new address each time, so the page cache "
        "misses and the page is rendered; what is kept per change to the public content (the "
        "verdict chart's counts, the claims' languages, the number of published claims) is "
        "as it is between two changes; the home page is also measured right after a change, "
        "every cache emptied. Growth compares 1,000 with 100,000 claims: constant (at most "
        "1.5 × or n^0.08), logarithmic (equal steps per tenfold), linear (n^0.75 and more) "
        "or the exponent in between.",
        "",
        archive_line(results),
        "",
        head,
        "|---|" + "---:|" * len(sizes) + "---|---:|---|",
    ]
    misses = []
    for key, what, budget in FIGURES:
        cells, values = [], []
        for r in results:
            figure = r["figures"].get(key)
            if figure is None:
                cells.append("—")
                continue
            values.append(figure["median"])
            cells.append(f"{figure['median']:.1f} ms · {figure['queries']} q")
        verdict = ""
        if budget is not None and largest["figures"].get(key):
            met = largest["figures"][key]["median"] <= budget
            verdict = "**met**" if met else "**not met**"
            if not met:
                misses.append(what)
        queries = [r["figures"][key]["queries"] for r in results if key in r["figures"]]
        grows = growth(values, sizes[: len(values)])
        if len(set(queries)) > 1:
            grows += f"; queries {' / '.join(map(str, queries))}"
        lines.append(
            f"| {what} | "
            + " | ".join(cells)
            + f" | {grows} | {f'≤ {budget} ms' if budget else '—'} | {verdict} |"
        )
    lines += ["", *write_lines(results), *purge_lines(results), *notes_lines(results)]
    if loadtest:
        lines += ["", loadtest.strip()]
    lines += [
        "",
        "What the slow queries were, what changed, and why a budget is not met: "
        "[performance-work.md](performance-work.md#the-archive-at-100000-claims-public-pages-"
        "and-desk-lists-issue-22).",
        "",
        "Reproduce: `make bench-scale` (about 20 minutes; needs PostgreSQL and Redis).",
    ]
    return "\n".join(lines) + "\n", misses


def archive_line(results: list[dict]) -> str:
    parts = []
    for r in results:
        rows = r["rows"]
        parts.append(
            f"{r['size']:,} claims: {r['total_rows']:,} rows "
            f"({rows.get('claims_article', 0):,} articles, {rows.get('claims_mention', 0):,} "
            f"passages, {rows.get('claims_claimevent', 0):,} events, "
            f"{rows.get('claims_historicalclaim', 0) + rows.get('claims_historicalmention', 0):,} "
            f"history rows, {rows.get('claims_tip', 0) + rows.get('claims_errorreport', 0):,} "
            f"tips and reports), built in {r['build_seconds']:.0f} s"
        )
    return (
        "Archives made by `scripts/archive.py` (seed "
        f"{results[0]['seed']}), each in a fresh database: " + "; ".join(parts) + "."
    )


def write_lines(results: list[dict]) -> list[str]:
    small, large = results[0]["figures"], results[-1]["figures"]
    lines = []
    for key in ("mark", "save"):
        if key in small and key in large:
            ratio = large[key]["median"] / small[key]["median"]
            verdict = "**met**" if ratio <= 1.2 else "**not met**"
            what = {k: w for k, w, _b in FIGURES}[key]
            lines.append(
                f"- {what}: {large[key]['median']:.1f} ms at {results[-1]['size']:,} claims "
                f"against {small[key]['median']:.1f} ms at {results[0]['size']:,}: "
                f"{ratio:.2f} × (budget ≤ 1.20 ×: {verdict})"
            )
    return lines


def purge_lines(results: list[dict]) -> list[str]:
    r = results[-1]["purge"]
    verdict = "**met**" if r["seconds"] <= 30 else "**not met**"
    return [
        f"- `purgereaderinput` at {results[-1]['size']:,} claims: {r['deleted']:,} of "
        f"{r['rows']:,} tips and reports past retention deleted in {r['seconds']:.1f} s "
        f"(budget ≤ 30 s: {verdict})"
    ]


def notes_lines(results: list[dict]) -> list[str]:
    return [f"- {r['size']:,} claims: {note}" for r in results for note in r["notes"]]


def replace_section(report: str, section: str) -> str:
    start = report.find(HEADING)
    if start < 0:
        return report.rstrip() + "\n\n" + section
    end = report.find("\n## ", start + len(HEADING))
    return report[:start] + section + ("" if end < 0 else report[end:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--seed", type=int, default=22)
    parser.add_argument("--write", action="store_true", help="update docs/performance.md")
    parser.add_argument("--check", action="store_true", help="exit 1 when a budget is missed")
    parser.add_argument("--no-load", action="store_true", help="skip the load test")
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--keep", action="store_true", help="keep the databases of the archives")
    args = parser.parse_args()
    if args.measure:
        measure_size(args.measure, args.runs, args.json, keep=args.keep, seed=args.seed)
        return
    results = []
    sizes = sorted(args.sizes)
    for size in sizes:
        out = Path(tempfile.mkdtemp(prefix="factcheck-bench-scale-")) / f"{size}.json"
        keep = args.keep
        print(f"Archive of {size:,} claims…", flush=True)
        subprocess.run(
            [sys.executable, __file__, "--measure", str(size), "--json", str(out),
             "--runs", str(args.runs), "--seed", str(args.seed), *(["--keep"] if keep else [])],
            check=True,
        )  # fmt: skip
        results.append(json.loads(out.read_text()))
        out.unlink()
        out.parent.rmdir()
        print(f"  built in {results[-1]['build_seconds']:.0f} s", flush=True)
    loadtest = None
    if not args.no_load:
        loadtest = run_loadtest(sizes[-1])
    section, misses = render(results, loadtest)
    print(section)
    if args.write:
        target = ROOT / "docs" / "performance.md"
        target.write_text(replace_section(target.read_text(), section))
    if args.check and misses:
        sys.exit(1)


def run_loadtest(size: int) -> str:
    """scripts/loadtest.py on a fresh database with an archive of ``size`` claims (not the
    one measured above: the benchmark's own markings there would meet the load test's)."""
    with tempfile.NamedTemporaryFile("r", suffix=".md") as out:
        completed = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "loadtest.py"), "--archive", str(size),
             "--desk-budget", "150", "--markdown", out.name,
             "--heading", f"### Load test on the {size:,}-claim archive"],
            check=False,
        )  # fmt: skip
        text = Path(out.name).read_text()
    if completed.returncode not in (0, 1) or not text:
        return (
            f"Load test on the {size:,}-claim archive: did not complete "
            f"(exit {completed.returncode})."
        )
    return text


if __name__ == "__main__":
    main()
