"""Every page speaks one language: a /de/ desk, public or admin page shows no English
string that has a German translation, and an English page shows no German one.

Each page is rendered as the people who use it see it (editor, reviewer, moderator,
superuser, anonymous reader). Its visible text nodes and the text of its title,
aria-label, placeholder and alt attributes and of its buttons are compared, whole, with
the messages of the project's German catalogue (which also supplies the strings Django's
own German catalogue lacks, see ``claims/django_strings.py``) and with the rating scale's
labels. A message that reads the same in both languages, is very short, or is also a
German word (e.g. "Name") is not evidence either way and is left out.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from claims.models import Article, Claim, ClaimEvent, ErrorReport, Rating, Tip
from tests.conftest import DRAFT_SLUG, PUBLISHED_SLUG
from tests.factories import make_ready_claim, mark_quote

pytestmark = pytest.mark.django_db

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "de" / "LC_MESSAGES" / "django.po"
ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
SKIPPED_ELEMENTS = {"script", "style", "textarea", "pre", "code"}
VOID_ELEMENTS = {
    "area",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "wbr",
}


class _VisibleText(HTMLParser):
    """Text nodes and labelling attributes of a page, whitespace collapsed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        # Elements in another language say so (claims, the language switcher).
        if tag in SKIPPED_ELEMENTS or (attributes.get("lang") and tag != "html"):
            if tag not in VOID_ELEMENTS:
                self._skipping.append(tag)
            return
        for name in ATTRIBUTES:
            if attributes.get(name):
                self.texts.append(attributes[name])
        if tag == "input" and attributes.get("type") in ("submit", "button"):
            self.texts.append(attributes.get("value") or "")

    def handle_endtag(self, tag) -> None:
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()

    def handle_data(self, data) -> None:
        if not self._skipping:
            self.texts.append(data)


def visible_texts(html: str) -> set[str]:
    parser = _VisibleText()
    parser.feed(html)
    return {" ".join(text.split()) for text in parser.texts} - {""}


def _catalogue_pairs() -> list[tuple[str, str]]:
    """(English, German) for every message that reads differently in German."""
    pairs = []
    for entry in polib.pofile(str(CATALOGUE)).translated_entries():
        forms = (
            [(entry.msgid, entry.msgstr)]
            if not entry.msgid_plural
            else [
                (entry.msgid, entry.msgstr_plural[0]),
                (entry.msgid_plural, entry.msgstr_plural[1]),
            ]
        )
        pairs += [(en, de) for en, de in forms if "%" not in en and "{" not in en]
    pairs += [(r.label, r.label_de) for r in Rating.objects.exclude(label_de="")]
    return [(en.strip(), de.strip()) for en, de in pairs if en.strip() != de.strip()]


def _telling(strings: set[str], other_language: set[str]) -> set[str]:
    """The strings that can only be of one language: long enough and not also a word of
    the other language."""
    other = {s.casefold() for s in other_language}
    return {
        s for s in strings if len(s) >= 3 and s.casefold() not in other and re.search(r"\w", s)
    }


def foreign_strings(html: str, *, language: str, ignore: set[str]) -> list[str]:
    pairs = _catalogue_pairs()
    english, german = {en for en, _de in pairs}, {de for _en, de in pairs}
    foreign = _telling(english, german) if language == "de" else _telling(german, english)
    texts = visible_texts(html) - ignore
    # "Reason:" is the message "Reason" followed by a colon.
    return sorted(t for t in texts if t in foreign or t.rstrip(":") in foreign)


# --- The newsroom in every state a page can show ---------------------------------------------
@pytest.fixture
def newsroom(seeded, editor, editor2, reviewer, moderator, superuser, client):
    article = Article.objects.get(slug="trump-daempft-erwartungen-an-nordkoreas-abruestung")
    published = Claim.objects.get(slug=PUBLISHED_SLUG)
    published.author = published.assignee = published.last_edited_by = editor
    published.save()
    # A German reader disputes a verdict: the claim's people hear of it.
    response = client.post(
        f"/de/claims/{PUBLISHED_SLUG}/report/",
        {
            "reason": "verdict_disputed",
            "message": "Das war kein Frieden.",
            "email": "",
            "homepage": "",
        },
    )
    assert response.status_code == 302
    report = ErrorReport.objects.get()
    tip = Tip.objects.create(claim_text="Die Erde ist eine Scheibe.", language="de")
    in_review = make_ready_claim(editor, claim_reviewed="Der Gipfel dauerte drei Tage.")
    mark_quote(in_review, article, article.current_revision.text.split()[3])
    in_review.submit(by=editor)
    correction = published.correction_start(by=editor2, kind="update", note="Neue Zahlen.")
    assert ClaimEvent.objects.exists()
    return {
        "article": article,
        "published": published,
        "in_review": in_review,
        "draft": Claim.objects.get(slug=DRAFT_SLUG),
        "correction": correction,
        "report": report,
        "tip": tip,
        "users": {
            u.username: u
            for u in get_user_model().objects.filter(
                username__in=["editor", "editor2", "reviewer", "moderator", "chief"]
            )
        },
    }


def _public_pages(w) -> list[str]:
    translation.activate("en")  # unprefixed paths; each test adds the language's prefix
    article, published = w["article"], w["published"]
    return [
        reverse("claims:home"),
        reverse("claims:articles"),
        reverse("claims:article", args=[article.slug]),
        reverse("claims:claims"),
        reverse("claims:claims") + "?q=Frieden",
        reverse("claims:claim", args=[published.slug]),
        reverse("claims:corrections"),
        reverse("claims:methodology"),
        reverse("claims:corrections-policy"),
        reverse("claims:tip-new"),
        reverse("claims:claim-report", args=[published.slug]),
        reverse("claims:login"),
    ]


def _desk_pages(w) -> list[str]:
    translation.activate("en")
    article, published, in_review = w["article"], w["published"], w["in_review"]
    return [
        reverse("claims:desk"),
        reverse("claims:desk-article-new"),
        reverse("claims:desk-article", args=[article.pk]),
        reverse("claims:desk-claim", args=[article.pk, in_review.pk]),
        reverse("claims:desk-claim", args=[article.pk, w["draft"].pk]),
        reverse("claims:desk-claim", args=[article.pk, published.pk]),
        reverse("claims:desk-article-revise", args=[article.pk]),
        reverse("claims:desk-article-anchors", args=[article.pk]),
        reverse("claims:desk-article-revisions", args=[article.pk]),
        reverse("claims:desk-review-queue"),
        reverse("claims:desk-claim-review", args=[in_review.pk]),
        reverse("claims:desk-claim-review", args=[published.pk]) + "?open=correction",
        reverse("claims:desk-claim-review", args=[published.pk]) + "?open=reason",
        reverse("claims:desk-claim-history", args=[published.pk]),
        reverse("claims:desk-claim-history", args=[in_review.pk]),
        reverse("claims:desk-correction", args=[published.pk]),
        reverse("claims:desk-notifications"),
        reverse("claims:desk-claim-search") + "?q=Frieden",
    ]


def _admin_pages(w) -> list[str]:
    translation.activate("en")
    pages = [reverse("admin:index")]
    for model in apps.get_app_config("claims").get_models():
        opts = model._meta
        if not admin.site.is_registered(model):
            continue
        pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        if model.objects.exists():
            obj = model.objects.order_by("pk").first()
            pages.append(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            )
            pages.append(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])
            )
    pages.append(reverse("admin:claims_claim_changelist") + "?status__exact=published")
    pages.append(reverse("admin:claims_tip_change", args=[w["tip"].pk]))
    pages.append(reverse("admin:claims_errorreport_change", args=[w["report"].pk]))
    pages.append(reverse("admin:claims_article_add"))  # claims are not added in the admin
    return pages


def _user_content(w) -> set[str]:
    """Text the people typed, which is not the interface's to translate."""
    return set(w["users"]) | {"admin", "chief"}


def _check(client, user, paths, *, language, w) -> dict[str, list[str]]:
    client.force_login(user) if user else client.logout()
    prefix = "/de" if language == "de" else ""
    found = {}
    for path in paths:
        assert not path.startswith("/de/"), path
        response = client.get(prefix + path)
        assert response.status_code == 200, f"{prefix}{path} as {user}: {response.status_code}"
        ignore = _user_content(w)
        if path.startswith("/admin/claims/rating/"):
            # The scale's own admin lists the English and German labels side by side.
            ignore |= {label for r in Rating.objects.all() for label in (r.label, r.label_de)}
        strings = foreign_strings(response.content.decode(), language=language, ignore=ignore)
        if strings:
            found[prefix + path] = strings
    for path, strings in found.items():
        print(language, user, path, strings)
    return found


@pytest.mark.parametrize("language", ["de", "en"])
def test_public_pages_speak_one_language(client, newsroom, language):
    found = _check(client, None, _public_pages(newsroom), language=language, w=newsroom)
    assert found == {}


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("persona", ["editor", "reviewer", "chief"])
def test_desk_pages_speak_one_language(client, newsroom, persona, language):
    user = newsroom["users"][persona]
    found = _check(client, user, _desk_pages(newsroom), language=language, w=newsroom)
    assert found == {}


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("persona", ["moderator", "chief"])
def test_admin_pages_speak_one_language(client, newsroom, persona, language):
    user = newsroom["users"][persona]
    paths = _admin_pages(newsroom)
    if persona == "moderator":  # moderators see reader input and claims, not the scale's innards
        allowed = []
        for path in paths:
            client.force_login(user)
            if client.get("/de" + path if language == "de" else path).status_code == 200:
                allowed.append(path)
        paths = allowed
    found = _check(client, user, paths, language=language, w=newsroom)
    assert found == {}


def test_the_check_sees_an_untranslated_string():
    with translation.override("de"):
        html = '<p>Urteil:</p><button title="Verdict:">x</button><p>Skip to main content</p>'
        assert foreign_strings(html, language="de", ignore=set()) == [
            "Skip to main content",
            "Verdict:",
        ]
