"""The English catalog: complete, compiled, placeholders intact, and used by the screens.

Vietnamese is the source language (the msgids); English is the translation in
src/hienmau/locale/en/LC_MESSAGES/django.po. The compiled django.mo is committed next
to it so the app works on machines without gettext.

New strings are added to the catalog, from src/hienmau, with
    ../../.venv/bin/python -m hienmau makemessages -l en --no-obsolete
then translated (no fuzzy entries left) and compiled with
    ../../.venv/bin/python -m hienmau compilemessages -l en
"""

import hashlib
import io
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

import hienmau

SOURCE_DIR = Path(hienmau.__file__).resolve().parent
CATALOG_DIR = SOURCE_DIR / "locale" / "en" / "LC_MESSAGES"
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


# What `makemessages` reads for the "django" domain: templates and Python files.
SOURCE_SUFFIXES = (".py", ".html", ".txt")


def _copy_sources(destination: Path) -> None:
    """The files makemessages would read, without the catalog itself: makemessages writes
    next to the sources it reads (templates' temporary .py files, the .pot, the .po)."""

    def ignore(directory, names):
        return [name for name in names
                if name in ("locale", "__pycache__") or name.startswith(".")
                or ((Path(directory) / name).is_file() and not name.endswith(SOURCE_SUFFIXES))]

    shutil.copytree(SOURCE_DIR, destination, ignore=ignore)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_catalog_holds_every_message_of_the_sources(po, settings, tmp_path, monkeypatch):
    """Every translatable string of the templates and the Python code is in django.po.

    makemessages runs on a temporary copy of src/hienmau into a temporary locale
    directory, so the committed catalog is only read.
    """
    missing_tools = [tool for tool in ("xgettext", "msguniq") if shutil.which(tool) is None]
    if missing_tools:
        pytest.skip(f"GNU gettext ({', '.join(missing_tools)}) is not on PATH: "
                    "cannot extract the messages of the sources")
    committed = {path: _digest(path) for path in (PO_FILE, MO_FILE) if path.exists()}
    sources, locale_dir = tmp_path / "hienmau", tmp_path / "locale"
    _copy_sources(sources)
    settings.LOCALE_PATHS = [locale_dir]
    monkeypatch.chdir(sources)

    call_command("makemessages", locale=["en"], verbosity=0, stdout=io.StringIO())

    extracted = polib.pofile(str(locale_dir / "en" / "LC_MESSAGES" / "django.po"))
    known = {(e.msgctxt, e.msgid) for e in _entries(po)}
    missing = [e for e in _entries(extracted) if (e.msgctxt, e.msgid) not in known]
    assert {path: _digest(path) for path in committed} == committed
    if missing:
        lines = [
            f"  {f'[{e.msgctxt}] ' if e.msgctxt else ''}{e.msgid!r}  "
            f"({', '.join(f'{file}:{line}' for file, line in e.occurrences[:3])})"
            for e in missing
        ]
        pytest.fail(
            f"{len(missing)} message(s) of the sources are not in {PO_FILE.name}. From "
            "src/hienmau run `../../.venv/bin/python -m hienmau makemessages -l en "
            "--no-obsolete`, translate them, then `compilemessages -l en`:\n"
            + "\n".join(lines), pytrace=False)
