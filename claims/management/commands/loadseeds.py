"""Load the demo article, the default rating scale and (optionally) demo accounts.

The demo shows a newsroom in every state: published claims with several verdicts, a
public correction prompted by a reader's error report, a claim in review, a draft and a
claim dismissed as not checkable. Each claim in the seed file carries its timeline (who
did what, when, in 2019); with ``--demo-users`` the timeline becomes the claim's events,
reviews and the authors of its history records, so the desk's timeline tells the story.

Safe to run any number of times, also on a partly loaded database: every object is
looked up by its natural key first and only created when missing. Objects that exist
are left as they are, so editors' changes to demo data survive a second run: a claim's
mentions, sources and review are only added when the claim is new or has none of them
(a load that stopped half-way). A demo object someone deleted comes back on the next run.
A database seeded by an older version is brought up to date in place: new claims are
added, and a seed claim nobody has touched since gets its dismissal, its correction and
its timeline, once.
"""

import json
import os
import secrets
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q

from claims import services
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
)
from claims.models.reader_input import ModerationStatus
from claims.roles import EDITORS, MODERATORS, REVIEWERS, ensure_role_groups
from claims.tasks.base import events_without_tasks
from claims.text import normalize
from claims.text.blocks import blocks_from_marked

SEEDS_DIR = Path(settings.BASE_DIR) / "seeds"

DEMO_USERS = [
    # username, group, is_staff, is_superuser
    ("editor", EDITORS, False, False),
    ("editor2", EDITORS, False, False),
    ("reviewer", REVIEWERS, False, False),
    ("moderator", MODERATORS, True, False),
    ("admin", None, True, True),
]


CORRECTION_NOTE_EVENTS = ("correction_opened", "submitted", "published")


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _step(timeline: list[dict], event: str) -> dict | None:
    """The last step of ``event`` in a timeline (a claim is submitted again after changes)."""
    steps = [step for step in timeline if step["event"] == event]
    return steps[-1] if steps else None


def _at(step: dict | None) -> datetime | None:
    return datetime.fromisoformat(step["at"]) if step else None


class Command(BaseCommand):
    help = "Load the demo article with its claims and the default rating scale (idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--demo-users",
            action="store_true",
            help="Also create the demo accounts editor, editor2, reviewer, moderator and admin.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Allow --demo-users when DEBUG is off (never on a public server).",
        )

    def handle(self, *args, demo_users: bool, force: bool, **options) -> None:
        if demo_users and not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to create demo accounts with DEBUG off: they have known passwords. "
                "Use --force only on a machine nobody else can reach."
            )
        # The demo's story happened in 2019: its events email nobody and start no task.
        with transaction.atomic(), events_without_tasks():
            users = self._load_users() if demo_users else {}
            ratings = self._load_ratings()
            self._load_article(ratings, users)
        # Its text's hints and "Already checked" suggestions at once (no task was started).
        self._analyse_texts()

    def _analyse_texts(self) -> None:
        # The seed texts only: in a database with an archive (make bench-scale, or a desk
        # that has run for years) every other article was analysed when it came in, or is
        # for the task queue; analysing 20,000 of them here would take hours.
        pending = ArticleRevision.objects.filter(
            pk__in=Article.objects.values("current_revision"),
            origin=ArticleRevision.Origin.SEED,
            analysis__isnull=True,
        ).select_related("article")
        for revision in pending:
            services.revision_analyse(revision)

    # --- Accounts -----------------------------------------------------------------
    def _load_users(self) -> dict:
        ensure_role_groups()
        password = os.environ.get("FACTCHECK_DEMO_PASSWORD", "").strip()
        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)
        User = get_user_model()
        users, created_any = {}, False
        for username, group_name, is_staff, is_superuser in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "is_staff": is_staff,
                    "is_superuser": is_superuser,
                    "email": f"{username}@example.org",
                },
            )
            if created or not generated:
                user.set_password(password)
                user.save(update_fields=["password"])
            created_any |= created
            if group_name:
                user.groups.add(Group.objects.get(name=group_name))
            users[username] = user
        names = ", ".join(name for name, *_rest in DEMO_USERS)
        if not generated:
            self.stdout.write(
                f"Demo accounts ({names}) use the password from FACTCHECK_DEMO_PASSWORD."
            )
        elif created_any:
            self.stdout.write(f"Demo accounts ({names}) created with the password: {password}")
        else:
            self.stdout.write(
                f"Demo accounts ({names}) already exist; their passwords were left unchanged."
            )
        return users

    # --- Rating scale -------------------------------------------------------------
    def _load_ratings(self) -> dict[str, Rating]:
        data = json.loads((SEEDS_DIR / "rating-scale.json").read_text(encoding="utf-8"))
        ratings = {}
        for position, item in enumerate(data["ratings"]):
            same = Q(slug=item["slug"]) | Q(label=item["label"])
            if item["value"] is not None:
                same |= Q(value=item["value"])
            rating = Rating.objects.filter(same, scale=data["scale"]).order_by("pk").first()
            if rating is None:  # never there, or renamed by the newsroom: keep theirs
                rating = Rating.objects.create(
                    scale=data["scale"],
                    slug=item["slug"],
                    label=item["label"],
                    value=item["value"],
                    colour=item["colour"],
                    description=item["description"],
                    label_de=item.get("label_de", ""),
                    description_de=item.get("description_de", ""),
                    position=position,
                )
            elif not rating.label_de and not rating.description_de and item.get("label_de"):
                # German texts came after the first load: add them, change nothing else.
                rating.label_de = item["label_de"]
                rating.description_de = item.get("description_de", "")
                rating.save(update_fields=["label_de", "description_de"])
            ratings[item["slug"]] = rating
        return ratings

    # --- The demo article ---------------------------------------------------------
    def _load_article(self, ratings: dict[str, Rating], users: dict) -> None:
        data = json.loads((SEEDS_DIR / "hanoi-summit-2019.json").read_text(encoding="utf-8"))
        meta = data["article"]
        raw = (SEEDS_DIR / meta["text_file"]).read_text(encoding="utf-8")
        text = normalize(raw)
        if text != raw:
            raise CommandError(f"{meta['text_file']} is not in normalised form; fix the file.")

        editor = users.get("editor")
        article, created = Article.objects.get_or_create(
            slug=meta["slug"],
            defaults={
                "title": meta["title"],
                "outlet": meta["outlet"],
                "byline": meta["byline"],
                "original_url": meta["original_url"],
                "published_on": _date(meta["published_on"]),
                "language": meta["language"],
                "status": Article.Status.PUBLISHED,
                "created_by": editor,
            },
        )
        # The paste rule gives the two sub-headings (short lines alone); the file has no
        # markers, so the text and the seed claims' offsets stay exactly as they are.
        marked, blocks = blocks_from_marked(text)
        if marked != text:
            raise CommandError(f"{meta['text_file']} must not carry Markdown block markers.")
        revision = article.revisions.filter(text=text).order_by("number").first()
        if revision is None:
            last = article.revisions.order_by("-number").first()
            revision = ArticleRevision.objects.create(
                article=article,
                number=(last.number + 1) if last else 1,
                text=text,
                blocks=blocks,
                origin=ArticleRevision.Origin.SEED,
                created_by=editor,
            )
        elif not revision.blocks and blocks:  # seeded before paragraphs had roles
            revision.blocks = blocks
            revision.save(update_fields=["blocks"])
        if article.current_revision_id is None:
            article.current_revision = revision
            article.save(update_fields=["current_revision", "updated_at"])

        for item in data["claims"]:
            self._load_claim(item, revision, ratings, users)
        self._settle_article_dates(article, data["claims"], editor)
        verb = "Loaded" if created else "Checked"
        self.stdout.write(
            f"{verb} the demo article “{article.title}” with {len(data['claims'])} claims."
        )

    def _settle_article_dates(self, article: Article, claims: list[dict], editor) -> None:
        """The demo article went public with its first published claim, in 2019 (not when
        the loader ran). A plain update, on the article and its history records."""
        first = min(
            (
                _at(_step(item["timeline"], "published"))
                for item in claims
                if item.get("status") == "published"
            ),
            default=None,
        )
        if first is None or (article.published_at and article.published_at <= first):
            return
        created = _at(_step(claims[0]["timeline"], "created"))
        Article.objects.filter(pk=article.pk).update(published_at=first, created_at=created)
        article.history.filter(published_at__isnull=False).update(published_at=first)
        article.history.filter(history_type="+").update(history_date=created)
        if editor is not None:
            article.history.filter(history_user=None).update(history_user=editor)

    def _load_claim(self, item: dict, revision, ratings: dict, users: dict) -> None:
        text = revision.text
        if text.count(item["quote"]) != 1:
            raise CommandError(f"The quote of {item['slug']} must occur exactly once in the text.")
        start = text.index(item["quote"])
        end = start + len(item["quote"])
        author = users.get(item.get("author", "editor"))
        created_at = _at(_step(item["timeline"], "created"))
        claim = Claim.objects.filter(slug=item["slug"]).first()
        created = claim is None
        if created:
            claim = self._create_claim(item, ratings, author)
        if created or not claim.mentions.filter(revision=revision).exists():
            Mention.for_span(
                claim=claim, revision=revision, start=start, end=end, created_by=author
            ).save()
        if created or not claim.sources.exists():
            for position, data in enumerate(item["sources"]):
                source = Source(
                    claim=claim,
                    url=data["url"],
                    title=data["title"],
                    publisher=data.get("publisher", ""),
                    kind=data["kind"],
                    stance=data["stance"],
                    published_on=_date(data.get("published_on")),
                    accessed_on=_date(data.get("accessed_on")),
                    position=position,
                )
                source._history_user, source._history_date = author, created_at
                source.save()
        # A seed claim nobody has worked on yet: its dismissal and correction are added.
        untouched = claim.version == 1 and not claim.events.exists()
        if item["status"] == Claim.Status.DISMISSED and untouched and claim.status == "draft":
            self._dismiss(claim, item, users)
        if "correction" in item and untouched and users:
            self._correct(claim, item, ratings, users)
        if users and claim.status == item["status"] and not claim.events.exists():
            self._write_timeline(claim, item, users)

    def _create_claim(self, item: dict, ratings: dict, author) -> Claim:
        """The claim as it was before its dismissal or correction (those follow)."""
        timeline = item["timeline"]
        status = item["status"]
        if status == Claim.Status.DISMISSED:
            status = Claim.Status.DRAFT
        claim = Claim(
            slug=item["slug"],
            slug_set_by_hand=True,  # the seed's natural key: editing the text keeps it
            claim_reviewed=item["claim_reviewed"],
            claimant=item["claimant"],
            claimant_url=item["claimant_url"],
            claim_date=_date(item["claim_date"]),
            language="de",
            status=status,
            rating=ratings.get(item["rating"]) if item["rating"] else None,
            conclusion=item["conclusion"],
            explanation=item["explanation"],
            author=author,
            last_edited_by=author,
            assignee=author,
            submitted_at=_at(_step(timeline, "submitted")),
            published_at=_at(_step(timeline, "published")),
        )
        claim._history_user = author
        claim._history_date = _at(_step(timeline, "created"))
        claim.save()
        self._settle_dates(claim, timeline)
        return claim

    def _settle_dates(self, claim: Claim, timeline: list[dict], *, updated: bool = True) -> None:
        """Django sets ``created_at`` and ``updated_at`` on save; the demo's story happened
        in 2019. A plain update, on the claim and the copies in its history records."""
        dates = {"created_at": _at(timeline[0])}
        if updated:
            dates["updated_at"] = _at(timeline[-1])
        Claim.objects.filter(pk=claim.pk).update(**dates)
        claim.history.update(created_at=dates["created_at"])

    def _dismiss(self, claim: Claim, item: dict, users: dict) -> None:
        step = _step(item["timeline"], "dismissed")
        claim.status = Claim.Status.DISMISSED
        claim._history_user, claim._history_date = users.get(step["by"]), _at(step)
        claim._change_reason = "dismissed"
        claim.save()
        self._settle_dates(claim, item["timeline"])

    def _correct(self, claim: Claim, item: dict, ratings: dict, users: dict) -> None:
        """The published correction of the claim's verdict, and the reader's error report
        that led to it (accepted, linked to the correction). Only with the demo accounts:
        a correction is the work of named people (moderator, editor, reviewer)."""
        spec, original = item["correction"], ratings.get(item["rating"])
        if claim.status != Claim.Status.PUBLISHED or claim.rating != original:
            return
        timeline = spec["timeline"]
        reported, opened = _step(timeline, "error_reported"), _step(timeline, "correction_opened")
        published = _step(timeline, "published")
        moderator = users.get(opened["by"])
        correction = Correction.objects.create(
            claim=claim,
            kind=spec["kind"],
            status=Correction.Status.PUBLISHED,
            note=spec["note"],
            old_rating=claim.rating,
            new_rating=ratings[spec["rating"]],
            old_conclusion=claim.conclusion,
            new_conclusion=spec["conclusion"],
            old_explanation=claim.explanation,
            new_explanation=spec["explanation"],
            created_by=moderator,
            published_at=_at(published),
        )
        Correction.objects.filter(pk=correction.pk).update(created_at=_at(opened))
        report = ErrorReport(
            claim=claim,
            reason=spec["report"]["reason"],
            message=spec["report"]["message"],
            language="de",
            status=ModerationStatus.ACCEPTED,
            moderator_note=spec["report"]["moderator_note"],
            handled_by=moderator,
            correction=correction,
        )
        report._history_date = _at(reported)
        report.save()
        ErrorReport.objects.filter(pk=report.pk).update(
            created_at=_at(reported), updated_at=_at(opened)
        )
        claim.rating, claim.conclusion = correction.new_rating, correction.new_conclusion
        claim.explanation = correction.new_explanation
        claim.version = published["version"]
        claim.last_edited_by = users.get(_step(timeline, "submitted")["by"])
        claim._history_user, claim._history_date = users.get(published["by"]), _at(published)
        claim._change_reason = "correction published"
        claim.save()
        self._settle_dates(claim, [*item["timeline"], *timeline])

    def _write_timeline(self, claim: Claim, item: dict, users: dict) -> None:
        """The claim's events, reviews and history authors, from the seed's timeline (and
        its correction's, when the claim has the seed's correction)."""
        correction = None
        timeline = [(step, None) for step in item["timeline"]]
        if "correction" in item:
            correction = claim.corrections.filter(note=item["correction"]["note"]).first()
            if correction is not None:
                timeline += [(step, correction) for step in item["correction"]["timeline"]]
        for step, for_correction in timeline:
            actor, at = users.get(step["by"]), _at(step)
            version = step.get("version", 1)
            # History records the loader wrote at this moment (or, for an older seed's
            # first record, at load time) get their author.
            claim.history.filter(history_user=None, history_date=at).update(history_user=actor)
            if step["event"] == "created":
                claim.history.filter(history_type="+").update(history_user=actor, history_date=at)
                Source.history.filter(claim_id=claim.pk, history_user=None).update(
                    history_user=actor, history_date=at
                )
                continue
            if step["event"] == "approved":
                review, _created = Review.objects.get_or_create(
                    claim=claim,
                    reviewer=actor,
                    claim_version=version,
                    defaults={
                        "decision": Review.Decision.APPROVE,
                        "comment": step.get("comment", ""),
                        "correction": for_correction,
                    },
                )
                Review.objects.filter(pk=review.pk).update(created_at=at)
            if step["event"] == "submitted":
                Claim.objects.filter(pk=claim.pk).update(submitted_at=at, submitted_by=actor)
            if step["event"] == "correction_opened":
                Correction.objects.filter(pk=for_correction.pk).update(created_by=actor)
                ErrorReport.objects.filter(correction=for_correction).update(handled_by=actor)
            # What the lifecycle writes: a correction's steps carry its public note.
            comment, params = step.get("comment", ""), {}
            if for_correction is not None and step["event"] in CORRECTION_NOTE_EVENTS:
                comment = for_correction.note
            if step["event"] in (
                ClaimEvent.Kind.ERROR_REPORTED,
                ClaimEvent.Kind.CORRECTION_OPENED,
            ):
                # As services.correction_open_from_report stores it: the reason as a code,
                # put into words in each reader's language.
                report = ErrorReport.objects.filter(correction=for_correction).first()
                if report is not None:
                    params = {"reason": report.reason, "report": report.pk}
            event = claim.events.create(
                kind=step["event"],
                actor=actor,
                comment=comment,
                params=params,
                claim_version=version,
                correction=for_correction,
            )
            ClaimEvent.objects.filter(pk=event.pk).update(created_at=at)
        self._settle_dates(claim, item["timeline"], updated=False)
