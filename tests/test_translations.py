"""The English and German catalogues are complete and compiled."""

import re
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"


@pytest.mark.parametrize("language", ["de", "en"])
def test_catalogue_is_complete_and_not_fuzzy(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert len(po) > 100
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert untranslated == [], f"{language}: untranslated {untranslated}"
    assert fuzzy == [], f"{language}: fuzzy {fuzzy}"
    for entry in po:
        if entry.msgid_plural:
            assert all(entry.msgstr_plural.values()), entry.msgid


@pytest.mark.parametrize("language", ["de", "en"])
def test_compiled_catalogue_matches_its_source(language):
    folder = LOCALE / language / "LC_MESSAGES"
    po = polib.pofile(str(folder / "django.po"))
    mo = polib.mofile(str(folder / "django.mo"))
    compiled = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in mo if e.msgid}
    source = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural
        for e in po.translated_entries()
        if not e.obsolete
    }
    assert compiled == source, "run `make messages` to recompile the catalogues"


def test_german_catalogue_is_used(settings):
    from django.utils import translation

    with translation.override("de"):
        assert translation.gettext("Skip to main content") == "Zum Hauptinhalt springen"
        assert translation.gettext("Verdict:") == "Urteil:"


ROOT = LOCALE.parent
_TEMPLATE_STRING = r"""\{%\s*translate\s+(?P<q>["'])(?P<text>.*?)(?P=q)"""
_PYTHON_STRING = r"""\b_\(\s*(?P<q>["'])(?P<text>(?:(?!(?P=q)).)*)(?P=q)\s*[,)]"""


def _marked_strings() -> set[str]:
    import re

    found = set()
    for path in (ROOT / "templates").rglob("*.html"):
        found |= {m["text"] for m in re.finditer(_TEMPLATE_STRING, path.read_text())}
    for path in (ROOT / "claims").rglob("*.py"):
        if "migrations" not in path.parts:
            found |= {m["text"] for m in re.finditer(_PYTHON_STRING, path.read_text())}
    return found


def test_every_marked_string_has_a_german_translation():
    po = polib.pofile(str(LOCALE / "de" / "LC_MESSAGES" / "django.po"))
    translated = {entry.msgid for entry in po.translated_entries()}
    marked = _marked_strings()
    assert len(marked) > 50
    missing = sorted(marked - translated)
    assert missing == [], "run `make messages` and translate: " + ", ".join(missing)


def test_english_catalogue_is_the_source_text():
    # makemessages pre-fills new entries from similar old ones ("fuzzy"); in the source
    # language every translation must be the message itself.
    po = polib.pofile(str(LOCALE / "en" / "LC_MESSAGES" / "django.po"))
    wrong = [
        entry.msgid for entry in po if (entry.msgstr_plural or {0: entry.msgstr})[0] != entry.msgid
    ]
    assert wrong == []


_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


def _placeholders(text: str) -> set[str]:
    return {a or b for a, b in _PLACEHOLDER.findall(text)}


def test_german_translations_keep_their_placeholders():
    """A translation that drops or invents a placeholder shows garbage or crashes at run
    time (an admin heading once read "A" for "Selected: 3")."""
    po = polib.pofile(str(LOCALE / "de" / "LC_MESSAGES" / "django.po"))
    wrong = []
    for entry in po.translated_entries():
        if entry.msgid_plural:
            # The singular may say "one" in words; every other form keeps the counter.
            if not _placeholders(entry.msgstr_plural[0]) <= _placeholders(entry.msgid):
                wrong.append(entry.msgid)
            if _placeholders(entry.msgstr_plural[1]) != _placeholders(entry.msgid_plural):
                wrong.append(entry.msgid)
        elif _placeholders(entry.msgstr) != _placeholders(entry.msgid):
            wrong.append(entry.msgid)
    assert wrong == []
