"""Load the demo article, the default rating scale and (optionally) demo accounts.

Safe to run any number of times, also on a partly loaded database: every object is
looked up by its natural key first and only created when missing. Objects that exist
are left as they are, so editors' changes to demo data survive a second run: a claim's
mentions, sources and review are only added when the claim is new or has none of them
(a load that stopped half-way). A demo object someone deleted comes back on the next run.
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

from claims.models import Article, ArticleRevision, Claim, Mention, Rating, Review, Source
from claims.roles import EDITORS, MODERATORS, REVIEWERS, ensure_role_groups
from claims.text import normalize

SEEDS_DIR = Path(settings.BASE_DIR) / "seeds"

DEMO_USERS = [
    # username, group, is_staff, is_superuser
    ("editor", EDITORS, False, False),
    ("editor2", EDITORS, False, False),
    ("reviewer", REVIEWERS, False, False),
    ("moderator", MODERATORS, True, False),
    ("admin", None, True, True),
]


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


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
        with transaction.atomic():
            users = self._load_users() if demo_users else {}
            ratings = self._load_ratings()
            self._load_article(ratings, users)

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

        editor, reviewer = users.get("editor"), users.get("reviewer")
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
        revision = article.revisions.filter(text=text).order_by("number").first()
        if revision is None:
            last = article.revisions.order_by("-number").first()
            revision = ArticleRevision.objects.create(
                article=article,
                number=(last.number + 1) if last else 1,
                text=text,
                origin=ArticleRevision.Origin.SEED,
                created_by=editor,
            )
        if article.current_revision_id is None:
            article.current_revision = revision
            article.save(update_fields=["current_revision", "updated_at"])

        for item in data["claims"]:
            self._load_claim(item, revision, ratings, editor, reviewer)
        verb = "Loaded" if created else "Checked"
        self.stdout.write(
            f"{verb} the demo article “{article.title}” with {len(data['claims'])} claims."
        )

    def _load_claim(self, item, revision, ratings, editor, reviewer) -> None:
        text = revision.text
        if text.count(item["quote"]) != 1:
            raise CommandError(f"The quote of {item['slug']} must occur exactly once in the text.")
        start = text.index(item["quote"])
        end = start + len(item["quote"])
        published = item["status"] == Claim.Status.PUBLISHED
        claim, created = Claim.objects.get_or_create(
            slug=item["slug"],
            defaults={
                "claim_reviewed": item["claim_reviewed"],
                "claimant": item["claimant"],
                "claimant_url": item["claimant_url"],
                "claim_date": _date(item["claim_date"]),
                "language": revision.article.language,
                "status": item["status"],
                "rating": ratings.get(item["rating"]) if item["rating"] else None,
                "conclusion": item["conclusion"],
                "explanation": item["explanation"],
                "author": editor,
                "last_edited_by": editor,
                "assignee": editor,
                "published_at": datetime.fromisoformat(item["published_at"])
                if published
                else None,
            },
        )
        if created or not claim.mentions.filter(revision=revision).exists():
            Mention.for_span(
                claim=claim, revision=revision, start=start, end=end, created_by=editor
            ).save()
        if created or not claim.sources.exists():
            for position, source in enumerate(item["sources"]):
                Source.objects.create(
                    claim=claim,
                    url=source["url"],
                    title=source["title"],
                    publisher=source.get("publisher", ""),
                    kind=source["kind"],
                    stance=source["stance"],
                    published_on=_date(source.get("published_on")),
                    accessed_on=_date(source.get("accessed_on")),
                    position=position,
                )
        if created and published and reviewer is not None:
            Review.objects.create(
                claim=claim,
                reviewer=reviewer,
                claim_version=claim.version,
                decision=Review.Decision.APPROVE,
                comment="Quellen geprüft.",
            )
