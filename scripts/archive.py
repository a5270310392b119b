"""A synthetic archive of a national fact-checker, for the scale benchmark (issue #22).

    from scripts.archive import generate
    summary = generate(claims=100_000, seed=22)

Ten years of a large fact-checker come to about 20,000 checked articles, 100,000 claims,
300,000 marked passages, 1,000,000 history rows, 200,000 reader tips and error reports and
2,000,000 claim events (the desk's notifications and timelines). ``generate(claims=N)``
writes that archive scaled to N claims into the current database, beside what is already
there (the seeds): every count is per claim, so 1,000 claims make a hundredth of it.

The data is deterministic (the same seed gives the same rows, dates included: the archive
ends on a fixed day, not today) and shaped like a real archive where it matters for the
queries: claimants are Zipf-distributed (a few politicians make most claims), dates come in
bursts around news events, most articles are short with a long tail, passages overlap,
2 % of claims have a correction, three in four claims are German and the rest English, and
the words of claims follow the language's word frequencies (wordfreq), so a search for a
rare word finds few claims and a common one many. One desk user, ``archive-editor-1``, is
concerned by about ten thousand events: the notifications of a busy editor.

On PostgreSQL the rows go in with ``COPY`` (psycopg), then ``VACUUM ANALYZE``; elsewhere
(SQLite, for the small version CI runs) with ``bulk_create``. Primary keys are set here
and the sequences moved past them, so the application goes on creating rows as usual.

Layering: this script writes the models' tables directly, as a data import would; it uses
no service and sends no signal (no history, notification or cache side effects).
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

# Per claim, from the ten-year figures above (100,000 claims).
ARTICLES_PER_CLAIM = 0.2
MENTIONS_PER_CLAIM = 3
EVENTS_PER_CLAIM = 20
CLAIM_HISTORY_PER_CLAIM = 7  # + one history row per passage: 10 per claim in all
TIPS_PER_CLAIM = 1.5
REPORTS_PER_CLAIM = 0.5
SOURCES_PER_CLAIM = 2
CORRECTED_SHARE = 0.02
GERMAN_SHARE = 0.75
DESK_EDITORS = 30
DESK_REVIEWERS = 10
# The busy editor's notifications: claims they wrote, times the events others made on them.
BUSY_EDITOR_CLAIMS = 500
# Claims younger than this may still be in hand (draft, in review, sent back).
IN_HAND_DAYS = 14

END = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
START = END - timedelta(days=3652)
# An unusable password ("!" is never a hash): archive users cannot sign in unless one is set.
UNUSABLE = "!"

EVENT_CYCLE = [
    "submitted",
    "changes_requested",
    "submitted",
    "approved",
    "published",
    "assigned",
    "error_reported",
    "correction_opened",
    "appearance_added",
    "appearance_approved",
    "reopened",
    "submitted",
    "approved",
    "published",
    "source_unreachable",
    "removal_requested",
    "removal_approved",
    "assigned",
    "error_reported",
    "published",
]
REVIEWER_KINDS = {"approved", "changes_requested", "published", "appearance_approved"}
SYSTEM_KINDS = {"error_reported", "source_unreachable"}


@dataclass
class Summary:
    claims: int
    seed: int
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    busy_editor: str = "archive-editor-1"
    words: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


# --- Writing rows ---------------------------------------------------------------------
class TableWriter:
    """Rows of one model, given as dicts of attribute names; the fields not given take
    their defaults. COPY on PostgreSQL, bulk_create elsewhere."""

    def __init__(self, model, connection, batch: int = 2000):
        self.model = model
        self.connection = connection
        self.fields = list(model._meta.concrete_fields)
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        self.json_fields = {f.attname for f in self.fields if f.get_internal_type() == "JSONField"}
        self.batch = batch
        self.count = 0

    def write(self, rows) -> int:
        if self.connection.vendor == "postgresql":
            self._copy(rows)
        else:
            self._bulk(rows)
        return self.count

    def _copy(self, rows) -> None:
        from psycopg.types.json import Jsonb

        table = self.connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(self.connection.ops.quote_name(f.column) for f in self.fields)
        names = [f.attname for f in self.fields]
        json_names = self.json_fields
        defaults = self.defaults
        with self.connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    values = defaults | row
                    for name in json_names:
                        values[name] = Jsonb(values[name])
                    copy.write_row([values[name] for name in names])
                    self.count += 1

    def _bulk(self, rows) -> None:
        model, defaults = self.model, self.defaults
        for chunk in itertools.batched(rows, self.batch):
            objects = []
            for row in chunk:
                objects.append(model(**(defaults | row)))
            model.objects.bulk_create(objects)
            self.count += len(objects)


def _fix_auto_now(models) -> None:
    """bulk_create calls pre_save, which stamps auto_now(_add) fields with the present:
    turn that off while the archive's own dates are written."""
    switched = []
    for model in models:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                switched.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    return switched


def _restore_auto_now(switched) -> None:
    for f, auto_now, auto_now_add in switched:
        f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _next_id(model) -> int:
    from django.db.models import Max

    return (model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1


# --- Text -----------------------------------------------------------------------------
class Vocabulary:
    """Words with their language's frequencies: sentences read like word salad, but a
    search finds as many claims per word as it would in real text."""

    def __init__(self, language: str, rng: random.Random, size: int = 8000):
        from wordfreq import top_n_list

        words = [w for w in top_n_list(language, size) if w.isalpha()]
        self.words = words
        # Zipf: the r-th commonest word has weight 1/r.
        self.cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(words))))
        self.rng = rng

    def sentence(self) -> str:
        count = self.rng.randint(7, 22)
        words = self.rng.choices(self.words, cum_weights=self.cumulative, k=count)
        return " ".join(words).capitalize() + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 6)))


def _text(rng: random.Random, paragraphs: list[str], chars: int) -> tuple[str, list]:
    """An article text of about ``chars`` characters from the paragraph pool, and its
    sentences as (start, end) spans."""
    parts, size = [], 0
    while size < chars or not parts:
        paragraph = paragraphs[rng.randrange(len(paragraphs))]
        parts.append(paragraph)
        size += len(paragraph) + 2
    text = "\n\n".join(parts)
    spans, offset = [], 0
    for paragraph in parts:
        start = 0
        while start < len(paragraph):
            end = paragraph.find(". ", start)
            end = len(paragraph) if end < 0 else end + 1
            spans.append((offset + start, offset + end))
            start = end + 1
        offset += len(paragraph) + 2
    return text, spans


def build_rows(
    claims: int, seed: int, *, ratings: list, editors: list, reviewers: list, ids: dict
) -> dict[str, list[dict]]:
    """The archive's rows, by table ("article", "claim", …), as dicts of attribute names;
    ``ids`` gives each table's first primary key. No database access: the same arguments
    always give the same rows."""
    rng = random.Random(seed)
    busy = editors[0]
    # --- Sizes
    n_articles = max(1, round(claims * ARTICLES_PER_CLAIM))
    vocab = {"de": Vocabulary("de", rng), "en": Vocabulary("en", rng)}
    pool = {lang: [v.paragraph() for _ in range(1500)] for lang, v in vocab.items()}
    claimant_names = [f"{first} {last}" for first in _FIRST for last in _LAST]
    rng.shuffle(claimant_names)
    claimant_weights = list(
        itertools.accumulate(1 / (rank + 1) ** 1.1 for rank in range(len(claimant_names)))
    )

    # --- Bursty dates: news events of very different sizes, and a steady trickle
    bursts = sorted(
        (START + timedelta(days=rng.uniform(0, 3652)), rng.expovariate(1 / 3) + 0.2)
        for _ in range(max(3, claims // 60))
    )
    burst_weights = list(itertools.accumulate(rng.paretovariate(1.2) for _ in bursts))

    def moment() -> datetime:
        if rng.random() < 0.8:
            centre, width = rng.choices(bursts, cum_weights=burst_weights)[0]
            when = centre + timedelta(days=rng.gauss(0, width))
        else:
            when = START + timedelta(days=rng.uniform(0, 3652))
        return min(max(when, START), END - timedelta(hours=1))

    # --- Articles: mostly short, a long tail (log-normal length)
    article_dates = sorted(moment() for _ in range(n_articles))
    articles = []  # (pk, revision pk, language, date, text spans)
    article_rows, revision_rows = [], []
    article_id, revision_id = ids["article"], ids["revision"]
    for index, when in enumerate(article_dates):
        language = "de" if rng.random() < GERMAN_SHARE else "en"
        chars = int(min(120_000, max(600, rng.lognormvariate(math.log(2500), 0.9))))
        text, spans = _text(rng, pool[language], chars)
        pk, rev = article_id + index, revision_id + index
        articles.append([pk, rev, language, when, spans, text, False])
        revision_rows.append(
            {
                "id": rev,
                "article_id": pk,
                "number": 1,
                "text": text,
                "origin": "url",
                "created_at": when,
                "created_by_id": editors[rng.randrange(len(editors))],
            }
        )

    # --- Claims: each has a home article (heavy-tailed: a few articles carry many claims)
    article_weights = list(itertools.accumulate(rng.paretovariate(1.3) for _ in articles))
    homes = sorted(rng.choices(range(len(articles)), cum_weights=article_weights, k=claims))
    claim_id = ids["claim"]
    # The desk's work in hand is the last fortnight's: older claims are published or
    # dismissed, recent ones partly still drafts, in review or sent back.
    settled = ["published"] * 95 + ["dismissed"] * 5
    recent = ["published"] * 55 + ["draft"] * 20 + ["in_review"] * 15
    recent += ["changes_requested"] * 6 + ["dismissed"] * 4
    in_hand = END - timedelta(days=IN_HAND_DAYS)
    claim_rows, mention_rows, source_rows, history_rows, mention_history = [], [], [], [], []
    event_rows, review_rows, correction_rows = [], [], []
    mention_id, source_id, event_id = ids["mention"], ids["source"], ids["event"]
    review_id, correction_id = ids["review"], ids["correction"]
    history_id, mention_history_id = ids["claim_history"], ids["mention_history"]
    busy_claims = set(rng.sample(range(claims), min(BUSY_EDITOR_CLAIMS, claims)))
    claimed_sentences: dict[int, set] = {}
    published_claims = []
    for index, home in enumerate(homes):
        pk = claim_id + index
        article = articles[home]
        _a_pk, rev, language, when, spans, text, _ = article
        created = min(END - timedelta(hours=1), when + timedelta(minutes=rng.randint(5, 600)))
        status = rng.choice(recent if created >= in_hand else settled)
        published = (
            created + timedelta(hours=rng.uniform(2, 96)) if status == "published" else None
        )
        if published and published > END:
            published = END
        author = busy if index in busy_claims else editors[1 + rng.randrange(len(editors) - 1)]
        assignee = author if rng.random() < 0.7 else editors[1 + rng.randrange(len(editors) - 1)]
        if index in busy_claims:
            assignee = busy
        reviewer = reviewers[rng.randrange(len(reviewers))]
        # The passage: a sentence of the home article (cut to the field's 250 characters)
        taken = claimed_sentences.setdefault(home, set())
        s_index = rng.randrange(len(spans))
        start, end = spans[s_index]
        if s_index in taken and end - start > 40:
            start += (end - start) // 3  # overlaps another claim's passage
        taken.add(s_index)
        end = min(end, start + 250)
        exact = text[start:end]
        claim_reviewed = exact.strip().rstrip(".")[:250] or exact[:250]
        rating = ratings[rng.randrange(len(ratings))] if status != "draft" else None
        claimant = rng.choices(claimant_names, cum_weights=claimant_weights)[0]
        updated = published or created + timedelta(hours=rng.uniform(0, 48))
        row = {
            "id": pk,
            "slug": f"archive-{seed}-{pk}",
            "claim_reviewed": claim_reviewed,
            "claimant": claimant,
            "claim_date": (created - timedelta(days=rng.randint(0, 3))).date(),
            "language": language,
            "status": status,
            "rating_id": rating,
            "conclusion": vocab[language].sentence()[:300] if rating else "",
            "explanation": vocab[language].paragraph() if rating else "",
            "version": rng.randint(1, 4),
            "author_id": author,
            "assignee_id": assignee,
            "last_edited_by_id": author,
            "submitted_by_id": author if status != "draft" else None,
            "submitted_at": created + timedelta(hours=1) if status != "draft" else None,
            "created_at": created,
            "updated_at": updated,
            "published_at": published,
        }
        claim_rows.append(row)
        if status == "published":
            article[6] = True
            published_claims.append((pk, published, rating))
        # History: the claim as it was after each save
        for step in range(CLAIM_HISTORY_PER_CLAIM):
            moment_of = created + timedelta(minutes=30 * step)
            history_rows.append(
                row
                | {
                    "history_id": history_id,
                    "history_date": min(moment_of, updated),
                    "history_type": "+" if step == 0 else "~",
                    "history_user_id": reviewer if step == CLAIM_HISTORY_PER_CLAIM - 1 else author,
                    "history_change_reason": None,
                    "status": status if step == CLAIM_HISTORY_PER_CLAIM - 1 else "draft",
                    "version": min(row["version"], 1 + step // 3),
                }
            )
            history_id += 1
        # Passages: the home article, then articles of the same days (the same story)
        passages = [(rev, start, end, text)]
        for _ in range(MENTIONS_PER_CLAIM - 1):
            other = articles[min(len(articles) - 1, max(0, home + rng.randint(-40, 40)))]
            o_spans, o_text = other[4], other[5]
            o_start, o_end = o_spans[rng.randrange(len(o_spans))]
            o_end = min(o_end, o_start + 250)
            if (other[1], o_start, o_end) not in {(p[0], p[1], p[2]) for p in passages}:
                passages.append((other[1], o_start, o_end, o_text))
                if status == "published":
                    other[6] = True
        for m_rev, m_start, m_end, m_text in passages:
            m_row = {
                "id": mention_id,
                "claim_id": pk,
                "revision_id": m_rev,
                "start": m_start,
                "end": m_end,
                "exact": m_text[m_start:m_end],
                "prefix": m_text[max(0, m_start - 32) : m_start],
                "suffix": m_text[m_end : m_end + 32],
                "anchor": "anchored",
                "created_at": created,
                "created_by_id": author,
            }
            if status == "published" and created >= in_hand and rng.random() < 0.1:
                # A new appearance of a published claim, waiting for a reviewer.
                m_row["awaiting"] = "addition"
                m_row["requested_at"], m_row["requested_by_id"] = created, author
            mention_rows.append(m_row)
            mention_history.append(
                m_row
                | {
                    "history_id": mention_history_id,
                    "history_date": created,
                    "history_type": "+",
                    "history_user_id": author,
                    "history_change_reason": None,
                }
            )
            mention_id += 1
            mention_history_id += 1
        for position in range(SOURCES_PER_CLAIM):
            source_rows.append(
                {
                    "id": source_id,
                    "claim_id": pk,
                    "url": f"https://example.org/{seed}/{pk}/{position}",
                    "title": vocab[language].sentence()[:300],
                    "publisher": rng.choice(_PUBLISHERS),
                    "kind": rng.choice(["primary", "official", "dataset", "expert", "report"]),
                    "stance": rng.choice(["supports", "refutes", "context"]),
                    "position": position,
                }
            )
            source_id += 1
        # Reviews and a correction on 2 % of published claims
        if status in ("published", "changes_requested"):
            review_rows.append(
                {
                    "id": review_id,
                    "claim_id": pk,
                    "reviewer_id": reviewer,
                    "decision": "approve" if status == "published" else "request_changes",
                    "claim_version": row["version"],
                    "created_at": published or updated,
                }
            )
            review_id += 1
        if status == "published" and rng.random() < CORRECTED_SHARE:
            corrected = min(END, published + timedelta(days=rng.uniform(1, 60)))
            correction_rows.append(
                {
                    "id": correction_id,
                    "claim_id": pk,
                    "kind": rng.choice(["correction", "update", "clarification"]),
                    "status": "published",
                    "note": vocab[language].sentence(),
                    "old_rating_id": rating,
                    "new_rating_id": ratings[rng.randrange(len(ratings))],
                    "created_by_id": author,
                    "created_at": corrected - timedelta(hours=3),
                    "published_at": corrected,
                }
            )
            correction_id += 1
        # Events: the timeline, and others' notifications (actor ≠ the one concerned)
        count = max(4, round(rng.expovariate(1 / (EVENTS_PER_CLAIM - 4))) + 4)
        offset = rng.randrange(len(EVENT_CYCLE))
        event_time = created
        for step in range(count):
            kind = EVENT_CYCLE[(offset + step) % len(EVENT_CYCLE)]
            event_time = min(END, event_time + timedelta(minutes=rng.randint(5, 2000)))
            if kind in SYSTEM_KINDS:
                actor = None
            elif kind in REVIEWER_KINDS:
                actor = reviewer
            else:
                actor = author if rng.random() < 0.3 else editors[rng.randrange(1, len(editors))]
            event_rows.append(
                {
                    "id": event_id,
                    "claim_id": pk,
                    "kind": kind,
                    "actor_id": actor,
                    "recipient_id": assignee if kind == "assigned" else None,
                    "claim_version": row["version"],
                    "params": {"url": f"https://example.org/{seed}/{pk}/0"}
                    if kind == "source_unreachable"
                    else {},
                    "created_at": event_time,
                }
            )
            event_id += 1

    for pk, rev, language, when, *_rest, public in articles:
        status = "published" if public else rng.choice(["draft", "draft", "withdrawn"])
        article_rows.append(
            {
                "id": pk,
                "title": vocab[language].sentence()[:300],
                "slug": f"archive-{seed}-{pk}",
                "outlet": rng.choice(_PUBLISHERS),
                "original_url": f"https://news.example.org/{seed}/{pk}",
                "byline": rng.choice(claimant_names),
                "published_on": when.date(),
                "language": language,
                "status": status,
                "current_revision_id": rev,
                "published_at": when + timedelta(hours=6) if status == "published" else None,
                "withdrawal_reason": "" if status != "withdrawn" else "Archive test",
                "created_at": when,
                "updated_at": when + timedelta(hours=6),
                "created_by_id": editors[rng.randrange(len(editors))],
            }
        )

    # --- Reader tips and error reports, over the ten years
    tip_rows, report_rows = [], []
    tip_id, report_id = ids["tip"], ids["report"]
    moderation = ["new"] * 3 + ["in_progress", "accepted", "rejected", "rejected", "spam", "spam"]
    for _ in range(round(claims * TIPS_PER_CLAIM)):
        when = moment()
        language = "de" if rng.random() < GERMAN_SHARE else "en"
        tip_rows.append(
            {
                "id": tip_id,
                "status": rng.choice(moderation),
                "language": language,
                "claim_text": vocab[language].sentence(),
                "seen_at": rng.choice(["", "Facebook", "Telegram", "TV", "X"]),
                "client_hash": f"{rng.getrandbits(128):032x}",
                "created_at": when,
                "updated_at": when,
            }
        )
        tip_id += 1
    for _ in range(round(claims * REPORTS_PER_CLAIM)):
        pk, published, _rating = published_claims[rng.randrange(len(published_claims))]
        when = min(END, published + timedelta(days=rng.expovariate(1 / 30)))
        report_rows.append(
            {
                "id": report_id,
                "claim_id": pk,
                "status": rng.choice(moderation),
                "reason": rng.choice(
                    ["wrong_passage", "verdict_disputed", "source_problem", "other"]
                ),
                "message": vocab["de"].sentence(),
                "client_hash": f"{rng.getrandbits(128):032x}",
                "language": "de",
                "created_at": when,
                "updated_at": when,
            }
        )
        report_id += 1

    return {
        "article": article_rows,
        "revision": revision_rows,
        "claim": claim_rows,
        "mention": mention_rows,
        "source": source_rows,
        "review": review_rows,
        "correction": correction_rows,
        "event": event_rows,
        "tip": tip_rows,
        "report": report_rows,
        "claim_history": history_rows,
        "mention_history": mention_history,
    }


# --- The generator --------------------------------------------------------------------
def generate(claims: int, seed: int = 22, *, log=print) -> Summary:
    """Write an archive of ``claims`` claims (and everything that goes with them)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection, transaction

    from claims.models import (
        Article,
        ArticleRevision,
        Claim,
        ClaimEvent,
        Correction,
        ErrorReport,
        Mention,
        Rating,
        Review,
        Source,
        Tip,
    )
    from claims.roles import EDITORS, REVIEWERS, ensure_role_groups

    summary = Summary(claims=claims, seed=seed)
    User = get_user_model()
    ratings = list(Rating.objects.order_by("scale", "position", "pk").values_list("pk", flat=True))
    if not ratings:
        raise RuntimeError("no ratings: load the seeds first (manage.py loadseeds)")
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        summary.seconds[name] = summary.seconds.get(name, 0.0) + now - clock
        clock = now

    # --- Desk users (made once; a second archive in the same database reuses them)
    ensure_role_groups()
    editors_group, reviewers_group = (
        Group.objects.get(name=EDITORS),
        Group.objects.get(name=REVIEWERS),
    )

    def desk_users(role: str, count: int, group) -> list[int]:
        pks = []
        for number in range(1, count + 1):
            user, made = User.objects.get_or_create(
                username=f"archive-{role}-{number}", defaults={"password": UNUSABLE}
            )
            if made:
                user.groups.add(group)
            pks.append(user.pk)
        return pks

    editors = desk_users("editor", DESK_EDITORS, editors_group)
    reviewers = desk_users("reviewer", DESK_REVIEWERS, reviewers_group)

    # --- Rows, then the tables, parents first
    tables = {
        "article": Article,
        "revision": ArticleRevision,
        "claim": Claim,
        "mention": Mention,
        "source": Source,
        "review": Review,
        "correction": Correction,
        "event": ClaimEvent,
        "tip": Tip,
        "report": ErrorReport,
        "claim_history": Claim.history.model,
        "mention_history": Mention.history.model,
    }
    rows = build_rows(
        claims,
        seed,
        ratings=ratings,
        editors=editors,
        reviewers=reviewers,
        ids={name: _next_id(model) for name, model in tables.items()},
    )
    lap("rows")

    # --- Write, parents first; one transaction
    switched = _fix_auto_now(tables.values())
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql" and _superuser(connection):
                # The rows are consistent by construction: skip the per-row foreign-key
                # triggers (for this transaction only), which would double the COPY time.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL session_replication_role = replica")
            with connection.constraint_checks_disabled():
                for name, model in tables.items():
                    written = TableWriter(model, connection).write(rows[name])
                    summary.rows[model._meta.db_table] = written
                    lap(f"write {model._meta.db_table}")
            _reset_sequences(connection, list(tables.values()))
    finally:
        _restore_auto_now(switched)
    summary.rows["auth_user (desk)"] = len(editors) + len(reviewers)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    lap("analyse")
    summary.words = {lang: _search_words(rows["claim"], lang) for lang in ("de", "en")}
    return summary


def _superuser(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
    return bool(row and row[0])


def _reset_sequences(connection, models) -> None:
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _search_words(rows, language: str) -> list[tuple[str, int]]:
    """Words of published claims with how many claims hold them, for the search figures:
    the benchmark picks a rare one and a common one."""
    counts: dict[str, int] = {}
    for row in rows:
        if row["status"] != "published" or row["language"] != language:
            continue
        for word in set(row["claim_reviewed"].lower().split()):
            if word.isalpha() and len(word) > 3:
                counts[word] = counts.get(word, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ranked


def pick_word(ranked: list[tuple[str, int]], claims: int) -> str:
    """The word whose claim count is nearest to ``claims``."""
    counts = [-count for _word, count in ranked]
    index = bisect.bisect_left(counts, -claims)
    candidates = ranked[max(0, index - 1) : index + 1] or ranked[-1:]
    return min(candidates, key=lambda item: abs(item[1] - claims))[0]


_FIRST = (
    "Anna Bernd Clara Dieter Eva Frank Greta Hans Ines Jan Karin Lukas Maria Nils Olga Paul "
    "Rita Stefan Tina Uwe Vera Walter Yusuf Zoe Ahmet Björn Chen David Elena Fatma"
).split()
_LAST = (
    "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch Richter "
    "Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange "
    "Schmitt Werner Krause Meier Lehmann Smith Jones Brown Taylor Wilson Davies Evans"
).split()
_PUBLISHERS = [
    "Deutsche Welle",
    "Der Spiegel",
    "Reuters",
    "Correctiv",
    "heise online",
    "tagesschau.de",
    "Süddeutsche Zeitung",
    "BBC News",
    "The Guardian",
    "Associated Press",
]
