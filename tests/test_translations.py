"""The English catalog: complete, compiled, placeholders intact, and used by the screens.

Vietnamese is the source language (the msgids); English is the translation in
src/hienmau/locale/en/LC_MESSAGES/django.po. The compiled django.mo is committed next
to it so the app works on machines without gettext.
"""

import re
from pathlib import Path

import polib
import pytest

import hienmau

CATALOG_DIR = Path(hienmau.__file__).resolve().parent / "locale" / "en" / "LC_MESSAGES"
PO_FILE = CATALOG_DIR / "django.po"
MO_FILE = CATALOG_DIR / "django.mo"

# %(name)s-style (python-format) and {name}-style (python-brace-format) placeholders.
PERCENT_NAMED = re.compile(r"%\((\w+)\)[sdifr]")
BRACE_NAMED = re.compile(r"(?<!\{)\{(\w*)\}(?!\})")


def _entries(catalog):
    return [e for e in catalog if not e.obsolete and e.msgid]


def _translations(catalog) -> dict:
    """msgid (with msgctxt, plural forms) → translation, comparable between .po and .mo."""
    result = {}
    for entry in _entries(catalog):
        key = (entry.msgctxt, entry.msgid, entry.msgid_plural)
        if entry.msgid_plural:
            result[key] = tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
        else:
            result[key] = entry.msgstr
    return result


def _placeholders(text: str) -> tuple[list, list]:
    return sorted(PERCENT_NAMED.findall(text)), sorted(BRACE_NAMED.findall(text))


@pytest.fixture(scope="module")
def po():
    return polib.pofile(str(PO_FILE))


def test_every_message_is_translated_and_none_is_fuzzy(po):
    assert _entries(po), "the English catalog is empty"
    untranslated = [
        e.msgid for e in _entries(po)
        if (not all(e.msgstr_plural.values()) if e.msgid_plural else not e.msgstr.strip())
    ]
    assert untranslated == []
    assert [e.msgid for e in _entries(po) if "fuzzy" in e.flags] == []
    assert not po.metadata_is_fuzzy


def test_compiled_catalog_matches_the_po_file(po):
    """Run `django-admin compilemessages` after editing the .po file."""
    assert MO_FILE.exists(), "django.mo is missing: run compilemessages"
    mo = polib.mofile(str(MO_FILE))
    assert _translations(mo) == _translations(po)


def test_placeholders_are_kept_in_every_translation(po):
    mismatched = []
    for entry in _entries(po):
        if entry.msgid_plural:
            sources = {0: entry.msgid, 1: entry.msgid_plural}
            pairs = [(sources[min(i, 1)], s) for i, s in entry.msgstr_plural.items()]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for source, translation in pairs:
            if _placeholders(source) != _placeholders(translation):
                mismatched.append((source, translation))
    assert mismatched == []


def test_menu_follows_the_chosen_language(client_for, coordinator):
    client = client_for(coordinator)

    vietnamese = client.get("/")
    assert vietnamese["Content-Language"] == "vi"
    assert "Tổ chức" in vietnamese.text
    assert "Organizations" not in vietnamese.text

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/")
    assert english["Content-Language"] == "en"
    menu = english.text.split('data-testid="main-menu"', 1)[1].split("</ul>", 1)[0]
    assert "Organizations" in menu
    assert "Home" in menu
    assert "Tổ chức" not in menu
