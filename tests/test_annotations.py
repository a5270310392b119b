"""W3C Web Annotations of an article's fact-checks (claims/annotations.py), checked against
the W3C test suite's JSON schemas of the Web Annotation Data Model.

The 21 schema files are read from ``shared/standards/w3c-annotation-model/definitions``
beside the repository (see its README) when it is there, else from the same bytes copied
into ``tests/vendor/w3c-annotation-model`` (a clone elsewhere has no ``shared/``; a test
checks the copy against the original whenever both exist): JSON Schema Draft 4, named
by relative ``id``s and pointing at each other with relative ``$ref``s, so all of them go
into one ``referencing.Registry`` under a shared base URI. Most files are libraries of
named checks; each test below points at the checks that apply to the part of the
document it validates.
"""

import copy
import json
from pathlib import Path

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from claims.annotations import article_annotations, published_mentions
from claims.models import Article, Claim, Mention
from claims.services.revisions import article_revise
from tests.conftest import SEED_ARTICLE_SLUG
from tests.factories import make_article, make_claim, make_rating, mark, mark_quote

pytestmark = pytest.mark.django_db

SHARED = Path(__file__).resolve().parents[2] / "shared/standards/w3c-annotation-model/definitions"
VENDORED = Path(__file__).resolve().parent / "vendor/w3c-annotation-model/definitions"
DEFINITIONS = SHARED if SHARED.is_dir() else VENDORED
BASE = "https://w3c-annotation-model.invalid/definitions/"
COLLECTION_URL = "http://testserver/api/v1/articles/the-article/annotations"


def _registry() -> Registry:
    files = sorted(DEFINITIONS.glob("*.json"))
    assert len(files) == 21, files
    resources = []
    for path in files:
        contents = json.loads(path.read_text(encoding="utf-8"))
        # Every file names itself (Draft 4 "id") after its file name.
        assert contents["id"].strip() == path.name
        resources.append((BASE + path.name, Resource.from_contents(contents, DRAFT4)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


@pytest.mark.skipif(not SHARED.is_dir(), reason="no shared/ beside this clone to compare with")
def test_the_vendored_schemas_are_the_shared_ones_byte_for_byte():
    shared = {path.name: path.read_bytes() for path in SHARED.glob("*.json")}
    assert shared == {path.name: path.read_bytes() for path in VENDORED.glob("*.json")}


def errors(check: str, instance) -> list[str]:
    """What ``check`` ("annotations.json#/definitions/annotationTypeValueFound", or a whole
    file such as "textualBody.json") finds wrong with ``instance``: empty when it passes.
    Formats ("uri", "date-time") are checked too."""
    validator = Draft4Validator(
        {"$ref": BASE + check},
        registry=REGISTRY,
        format_checker=Draft4Validator.FORMAT_CHECKER,
    )
    return [error.message for error in validator.iter_errors(instance)]


def passes(check: str, instance) -> bool:
    return not errors(check, instance)


def _defs(file: str, *names: str) -> list[str]:
    return [f"{file}#/definitions/{name}" for name in names]


# The checks each part of an annotation must pass (every check of the five files that
# applies to what the desk writes; "…Found" checks of features it uses included).
ANNOTATION_CHECKS = [
    *_defs(
        "annotations.json",
        "annotationTypeValueFound",
        "motivationRecognizedIfPresent",
        "motivationSingularIfPresent",
        "motivationPropertyFound",
        "singleMotivationPropertyFound",
        "bodyValueValidIfPresent",
        "stylesheetValueDefinition",
    ),
    "id.json#/definitions/idValueFound",
    *_defs(
        "otherProperties.json",
        "createdValidIfPresent",
        "createdPropertyFound",
        "modifiedValidIfPresent",
        "modifiedPropertyFound",
        "generatedValidIfPresent",
        "creatorValidIfPresent",
        "creatorSingularIfPresent",
        "creatorPropertyFound",
        "singleCreatorPropertyFound",
        "creatorAgentWithIdFound",
        "creatorAgentWithTypeFound",
        "creatorAgentWithNameFound",
        "creatorAgentWithSingularNameFound",
        "generatorValidIfPresent",
        "audienceValidIfPresent",
        "accessibilityValidIfPresent",
        "rightsValidIfPresent",
        "canonicalValidIfPresent",
        "viaValidIfPresent",
    ),
]
# Features the desk does not use: these checks must say "not found" (so they do run).
ANNOTATION_NOT_FOUND = [
    "annotations.json#/definitions/stylesheetDetected",
    "annotations.json#/definitions/bodyValueFound",
    "otherProperties.json#/definitions/generatedPropertyFound",
    "otherProperties.json#/definitions/generatorPropertyFound",
    "otherProperties.json#/definitions/rightsPropertyFound",
    "otherProperties.json#/definitions/viaPropertyFound",
    "otherProperties.json#/definitions/canonicalPropertyFound",
]
BODY_CHECKS = [
    *_defs(
        "bodyTarget.json",
        "bodyResourcesFound",
        "optionalBodyPropertiesShould",
        "optionalBodyPropertiesMust",
        "optionalBodyPurposePropertyShould",
        "formatValidIfPresent",
        "formatSingularIfPresent",
        "languageValidIfPresent",
        "languageSingularIfPresent",
        "processingLanguageValidIfPresent",
        "textDirectionValidIfPresent",
        "resourceTypeShouldIfPresent",
    ),
    "otherProperties.json#/definitions/purposePropertyFound",
    "otherProperties.json#/definitions/purposeRecognizedIfPresent",
]
TEXTUAL_BODY_CHECKS = [
    "textualBody.json",
    *_defs(
        "bodyTarget.json",
        "textualBodyFound",
        "formatPropertyFound",
        "singleFormatPropertyFound",
        "languagePropertyFound",
        "singleLanguagePropertyFound",
    ),
]
LINK_BODY_CHECKS = [
    "specificResourceDetected.json",
    "specificResource.json#/definitions/specificeResourceDetected",
]
# The linked claim page (the Specific Resource's source): an External Web Resource.
LINKED_PAGE_CHECKS = [
    "externalWebResource.json",
    "externalWebResourceDetected.json",
    *_defs(
        "bodyTarget.json",
        "externalWebResourceDetected",
        "recognizedTypeFound",
        "resourceTypeRecognizedIfPresent",
        "formatPropertyFound",
        "singleFormatPropertyFound",
        "languagePropertyFound",
        "singleLanguagePropertyFound",
    ),
    "id.json#/definitions/idValueFound",
]
TARGET_CHECKS = [
    "specificResourceDetected.json",
    *_defs(
        "bodyTarget.json",
        "targetResourcesFound",
        "optionalTargetPropertiesShould",
        "optionalTargetPropertiesMust",
    ),
    *_defs("specificResource.json", "specificeResourceDetected", "selectorDetected"),
]
COLLECTION_CHECKS = [
    "id.json#/definitions/idValueFound",
    *_defs(
        "collections.json",
        "annotationCollectionTypeValueFound",
        "labelFound",
        "totalFound",
        "firstFound",
        "firstRequiredIfTotalMoreThanZero",
        "lastFound",
    ),
]
PAGE_CHECKS = [
    "id.json#/definitions/idValueFound",
    *_defs(
        "collections.json",
        "annotationPageTypeValueFound",
        "partOfFound",
        "startIndexFound",
        "itemsFound",
        "nextValidIfPresent",
        "prevValidIfPresent",
    ),
]


def assert_valid_annotation(annotation: dict) -> None:
    for check in ANNOTATION_CHECKS:
        assert passes(check, annotation), (check, errors(check, annotation))
    for check in ANNOTATION_NOT_FOUND:
        assert not passes(check, annotation), check
    assert passes("annotations.json#/definitions/contextValueFound", annotation["@context"])
    assert annotation["motivation"] == "assessing"
    assert annotation["creator"]["type"] == "Organization"

    verdict, link, *parts = annotation["body"]
    for body in annotation["body"]:
        for check in BODY_CHECKS:
            assert passes(check, body), (check, errors(check, body))
    for body in (verdict, *parts):
        for check in TEXTUAL_BODY_CHECKS:
            assert passes(check, body), (check, errors(check, body))
    assert (verdict["type"], verdict["purpose"]) == ("TextualBody", "assessing")
    # The verdict's parts apart (what the embed script shows), each a plain-text body.
    assert [part["purpose"] for part in parts] in (
        ["classifying", "identifying", "describing"],
        ["classifying", "identifying"],
        ["identifying", "describing"],
        ["identifying"],
    )
    for check in LINK_BODY_CHECKS:
        assert passes(check, link), (check, errors(check, link))
    assert not passes("bodyTarget.json#/definitions/textualBodyFound", link)
    assert link["purpose"] == "linking"
    for check in LINKED_PAGE_CHECKS:
        assert passes(check, link["source"]), (check, errors(check, link["source"]))

    target = annotation["target"]
    for check in TARGET_CHECKS:
        assert passes(check, target), (check, errors(check, target))
    assert passes("id.json#/definitions/stringUri", target["source"])
    quote, position = target["selector"]
    assert passes("specificResource.json#/definitions/textQuoteSelectorDetected", quote)
    assert passes("specificResource.json#/definitions/textPositionSelectorDetected", position)
    # Each selector is the one kind it says it is.
    assert not passes("specificResource.json#/definitions/textPositionSelectorDetected", quote)
    assert not passes("specificResource.json#/definitions/textQuoteSelectorDetected", position)


def assert_valid_collection(collection: dict) -> None:
    for check in COLLECTION_CHECKS:
        assert passes(check, collection), (check, errors(check, collection))
    assert passes("collections.json#/definitions/contextValueFound", collection["@context"])
    page = collection["first"]
    for check in PAGE_CHECKS:
        assert passes(check, page), (check, errors(check, page))
    assert collection["total"] == len(page["items"])
    if collection["total"]:
        assert passes("collections.json#/definitions/totalMoreThanZero", collection)
    for annotation in page["items"]:
        assert_valid_annotation(annotation)


def assert_quotes_match(collection: dict, text: str) -> None:
    for annotation in collection["first"]["items"]:
        quote, position = annotation["target"]["selector"]
        start, end = position["start"], position["end"]
        assert quote["exact"] == text[start:end]
        prefix, suffix = quote.get("prefix", ""), quote.get("suffix", "")
        assert len(prefix) <= 32
        assert len(suffix) <= 32
        # Adjacent to the quote, as long as the text allows.
        assert text[:start].endswith(prefix)
        assert text[end:].startswith(suffix)
        assert len(prefix) == min(32, start)
        assert len(suffix) == min(32, len(text) - end)


def _collection(article: Article) -> dict:
    article.refresh_from_db()
    revision = article.current_revision
    return article_annotations(
        article,
        revision,
        published_mentions(revision),
        collection_url=COLLECTION_URL,
        request=RequestFactory().get("/api/v1/"),
    )


def test_the_demo_article_passes_the_w3c_checks(seeded, settings):
    settings.FACTCHECK_ORGANIZATION_URL = "https://factcheck.example.org"
    article = Article.objects.get(slug=SEED_ARTICLE_SLUG)
    collection = _collection(article)
    assert_valid_collection(collection)
    assert_quotes_match(collection, article.current_revision.text)
    items = collection["first"]["items"]
    published = set(
        Claim.objects.filter(status=Claim.Status.PUBLISHED).values_list("slug", flat=True)
    )
    assert {item["body"][1]["source"]["schema:identifier"] for item in items} == published
    assert collection["label"] == article.title
    assert collection["id"] == COLLECTION_URL
    assert collection["first"]["partOf"] == COLLECTION_URL
    assert collection["total"] == len(items) >= 5
    creator = items[0]["creator"]
    assert creator == {
        "id": "https://factcheck.example.org",
        "type": "Organization",
        "name": settings.FACTCHECK_ORGANIZATION_NAME,
        "homepage": "https://factcheck.example.org",
    }
    assert passes("otherProperties.json#/definitions/creatorAgentWithHomepageFound", items[0])


def test_the_verdict_is_in_the_claims_language(seeded):
    claim = Claim.objects.get(slug="nordkorea-keine-atom-und-raketentests-seit-ueber-einem-jahr")
    [item] = [
        item
        for item in _collection(Article.objects.get(slug=SEED_ARTICLE_SLUG))["first"]["items"]
        if item["body"][1]["source"]["schema:identifier"] == claim.slug
    ]
    verdict, link, *parts = item["body"]
    assert claim.language == "de"
    # The parts apart, in the claim's language too: the rating's German name with its slug
    # and colour, the claim as reviewed, the conclusion.
    assert parts == [
        {
            "type": "TextualBody",
            "value": "Wahr",
            "format": "text/plain",
            "language": "de",
            "purpose": "classifying",
            "schema:identifier": claim.rating.slug,
            "schema:color": claim.rating.colour,
        },
        {
            "type": "TextualBody",
            "value": claim.claim_reviewed,
            "format": "text/plain",
            "language": "de",
            "purpose": "identifying",
        },
        {
            "type": "TextualBody",
            "value": claim.conclusion,
            "format": "text/plain",
            "language": "de",
            "purpose": "describing",
        },
    ]
    assert verdict == {
        "type": "TextualBody",
        "value": f"Wahr: {claim.conclusion}",
        "format": "text/plain",
        "language": "de",
        "purpose": "assessing",
    }
    # The claim page in German, whatever language the request had.
    assert link["source"]["id"] == f"http://testserver/de/claims/{claim.slug}/"
    assert link["source"]["language"] == "de"


# Umlauts, typographic quotes, a flag, a family (ZWJ sequence) and a skin-tone emoji: code
# points, not UTF-16 units nor bytes, nor grapheme clusters.
FLAG = "\N{REGIONAL INDICATOR SYMBOL LETTER D}\N{REGIONAL INDICATOR SYMBOL LETTER E}"
FAMILY = "\N{WOMAN}\u200d\N{WOMAN}\u200d\N{GIRL}"
WAVE = "\N{WAVING HAND SIGN}\N{EMOJI MODIFIER FITZPATRICK TYPE-4}"
TRICKY = (
    f"„Öl für alle“ – sagt Müller {WAVE} am Montag in Köln.\n\n"
    f"Die Fahne {FLAG} weht, und {FAMILY} feiert: "
    'er nannte es "größer als je zuvor" und <b>schön</b> & gut.\n\n'
    f"Am Ende steht der Satz: Grüße aus Österreich {FLAG}"
)


@pytest.fixture
def tricky(settings):
    settings.FACTCHECK_ORGANIZATION_URL = ""
    rating = make_rating(label="False", value=1, slug="f", label_de="Falsch")
    article = make_article(TRICKY, title="Öl & „Fahnen“", language="de")
    first = make_claim(rating=rating, conclusion="Öl ist nicht gratis.", language="de")
    mark_quote(first, article, "„Öl für alle“")  # at offset 0
    emoji = make_claim(rating=rating, conclusion="Müller war 🙂 nicht dort.", language="en")
    mark_quote(emoji, article, f"Müller {WAVE} am Montag")
    mark_quote(emoji, article, f"{FLAG} weht, und {FAMILY} feiert")
    quotes = make_claim(rating=rating, conclusion='Kein "Rekord".', language="de")
    mark_quote(quotes, article, '"größer als je zuvor" und <b>schön</b> & gut.')
    last = make_claim(rating=rating, conclusion="Gruß.", language="de-AT")
    text = article.current_revision.text
    mark(last, article, text.index("Grüße aus"), len(text))  # to the very end
    return article


def test_a_text_with_emoji_umlauts_and_quotes_passes(tricky, settings):
    collection = _collection(tricky)
    assert_valid_collection(collection)
    text = tricky.current_revision.text
    assert_quotes_match(collection, text)
    items = collection["first"]["items"]
    assert len(items) == 5
    first, *_, last = items
    quote, position = first["target"]["selector"]
    assert position == {"type": "TextPositionSelector", "start": 0, "end": 13}
    assert "prefix" not in quote
    assert quote["exact"] == "„Öl für alle“"
    quote, position = last["target"]["selector"]
    assert position["end"] == len(text)
    assert "suffix" not in quote
    assert quote["exact"].endswith(FLAG)
    emoji = items[1]["target"]["selector"]
    assert emoji[0]["exact"] == f"Müller {WAVE} am Montag"
    assert emoji[1]["start"] == text.index("Müller")
    # The organisation without a homepage: the site is its id.
    assert first["creator"] == {
        "id": "http://testserver/",
        "type": "Organization",
        "name": settings.FACTCHECK_ORGANIZATION_NAME,
    }
    # The article has no original URL: the target is its public page, in its language.
    assert first["target"]["source"] == f"http://testserver/de/articles/{tricky.slug}/"
    # An English claim speaks English, an Austrian one German; its page is the German one.
    assert items[1]["body"][0]["value"] == "False: Müller war 🙂 nicht dort."
    assert items[1]["body"][0]["language"] == "en"
    assert last["body"][0] == {
        "type": "TextualBody",
        "value": "Falsch: Gruß.",
        "format": "text/plain",
        "language": "de-AT",
        "purpose": "assessing",
    }
    assert last["body"][1]["source"]["id"].startswith("http://testserver/de/claims/")
    # Annotation ids are unique IRIs within the collection.
    assert len({item["id"] for item in items}) == 5
    assert all(item["id"].startswith(COLLECTION_URL + "#mention-") for item in items)


def test_the_target_is_the_original_article_when_there_is_one(tricky):
    tricky.original_url = "https://zeitung.example/köln/öl?x=1"
    tricky.save()
    collection = _collection(tricky)
    assert_valid_collection(collection)
    # Written as a URI (the schema checks the format): non-ASCII percent-encoded.
    assert collection["first"]["items"][0]["target"]["source"] == (
        "https://zeitung.example/k%C3%B6ln/%C3%B6l?x=1"
    )


def _quote(a):
    return a["target"]["selector"][0]


def _position(a):
    return a["target"]["selector"][1]


BREAKAGES = {
    # name: (the part a check looks at, how it is broken, the check that must then fail)
    "no-exact": (
        _quote,
        lambda part: part.pop("exact"),
        "specificResource.json#/definitions/textQuoteSelectorDetected",
    ),
    "negative-start": (
        _position,
        lambda part: part.update(start=-1),
        "specificResource.json#/definitions/textPositionSelectorDetected",
    ),
    "motivation": (
        lambda a: a,
        lambda part: part.update(motivation="judging"),
        "annotations.json#/definitions/motivationRecognizedIfPresent",
    ),
    "type": (
        lambda a: a,
        lambda part: part.update(type="Note"),
        "annotations.json#/definitions/annotationTypeValueFound",
    ),
    "created": (
        lambda a: a,
        lambda part: part.update(created="yesterday"),
        "otherProperties.json#/definitions/createdValidIfPresent",
    ),
    "source": (
        lambda a: a["target"],
        lambda part: part.update(source="not a uri"),
        "specificResource.json#/definitions/specificeResourceDetected",
    ),
    "language": (
        lambda a: a["body"][0],
        lambda part: part.update(language="Deutsch"),
        "bodyTarget.json#/definitions/languageValidIfPresent",
    ),
    "purpose": (
        lambda a: a["body"][1],
        lambda part: part.update(purpose="reading"),
        "otherProperties.json#/definitions/purposeRecognizedIfPresent",
    ),
    "value": (
        lambda a: a["body"][0],
        lambda part: part.pop("value"),
        "textualBody.json",
    ),
}


@pytest.mark.parametrize("name", BREAKAGES)
def test_the_checks_catch_a_broken_annotation(tricky, name):
    """The validation is real: each check fails once its part is broken."""
    find, breaking, check = BREAKAGES[name]
    annotation = _collection(tricky)["first"]["items"][0]
    broken = copy.deepcopy(annotation)
    breaking(find(broken))
    assert passes(check, find(annotation))
    assert errors(check, find(broken))
    with pytest.raises(AssertionError):
        assert_valid_annotation(broken)


def test_a_collection_without_annotations_is_valid(settings):
    article = make_article("Nichts geprüft.")
    collection = _collection(article)
    assert collection["total"] == 0
    assert collection["first"]["items"] == []
    for check in COLLECTION_CHECKS:
        assert passes(check, collection), check
    assert not passes("collections.json#/definitions/totalMoreThanZero", collection)


def test_only_what_readers_see_is_annotated(tricky, editor, reviewer):
    text = tricky.current_revision.text
    rating = tricky.current_revision.mentions.first().claim.rating
    hidden = {}
    for status in (
        Claim.Status.DRAFT,
        Claim.Status.IN_REVIEW,
        Claim.Status.CHANGES_REQUESTED,
        Claim.Status.DISMISSED,
    ):
        claim = make_claim(status=status, rating=rating, conclusion=f"{status} text")
        hidden[claim.slug] = mark_quote(claim, tricky, "am Montag in Köln")
    # A new appearance of a published claim, waiting for a second person's approval.
    pending_claim = make_claim(rating=rating, conclusion="Wartet.")
    pending = mark_quote(pending_claim, tricky, "am Montag in Köln")
    pending.awaiting = Mention.Awaiting.ADDITION
    pending.save()
    hidden[pending_claim.slug] = pending
    # One an editor asked to remove stays public until a reviewer approves the removal.
    leaving_claim = make_claim(rating=rating, conclusion="Bleibt bis zur Freigabe.")
    leaving = mark_quote(leaving_claim, tricky, "in Köln")
    leaving.awaiting = Mention.Awaiting.REMOVAL
    leaving.save()

    slugs = {
        item["body"][1]["source"]["schema:identifier"]
        for item in _collection(tricky)["first"]["items"]
    }
    assert leaving_claim.slug in slugs
    assert not slugs & set(hidden)
    assert len(published_mentions(tricky.current_revision)) == 6

    # An article taken down: nothing, even for the revision that was public.
    revision = tricky.current_revision
    Article.objects.filter(pk=tricky.pk).update(status=Article.Status.WITHDRAWN)
    assert published_mentions(revision) == []
    Article.objects.filter(pk=tricky.pk).update(status=Article.Status.DRAFT)
    assert published_mentions(revision) == []
    Article.objects.filter(pk=tricky.pk).update(status=Article.Status.PUBLISHED)
    assert len(published_mentions(revision)) == 6
    assert text == revision.text


def test_an_earlier_revision_and_changed_quotes_are_left_out(tricky, editor):
    old = tricky.current_revision
    new_text = TRICKY.replace("am Montag", "am Dienstag")
    article_revise(article=tricky, text=new_text, origin="paste", user=editor)
    tricky.refresh_from_db()
    # The old text is no longer the article's: its passages are not public annotations.
    assert published_mentions(old) == []
    mentions = published_mentions(tricky.current_revision)
    # The passage whose quote changed waits for an editor's confirmation: not shown.
    assert f"Müller {WAVE} am Dienstag" not in {m.exact for m in mentions}
    assert len(mentions) == 4
    collection = _collection(tricky)
    assert_valid_collection(collection)
    assert_quotes_match(collection, tricky.current_revision.text)


def _make_mentions(count: int, rating) -> Article:
    words = [f"Satz{n:03d} ist wahr." for n in range(count)]
    article = make_article(" ".join(words))
    for word in words:
        mark_quote(make_claim(rating=rating, conclusion="Ja."), article, word)
    return article


def test_the_query_count_does_not_grow_with_the_mentions():
    counts = {}
    rating = make_rating(label="Mostly true", value=5)
    for count in (2, 20):
        article = _make_mentions(count, rating)
        article = Article.objects.select_related("current_revision").get(pk=article.pk)
        revision = article.current_revision
        with CaptureQueriesContext(connection) as queries:
            collection = article_annotations(
                article,
                revision,
                published_mentions(revision),
                collection_url=COLLECTION_URL,
                request=RequestFactory().get("/"),
            )
        assert collection["total"] == count
        counts[count] = len(queries)
    assert counts[2] == counts[20] == 1
