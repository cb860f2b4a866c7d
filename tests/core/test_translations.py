"""The Bahasa Indonesia catalogue: complete, placeholder-safe, compiled, and what the pages show."""

import re
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "id" / "LC_MESSAGES"
PO_PATH = CATALOGUE / "django.po"
MO_PATH = CATALOGUE / "django.mo"

# %(name)s, %(seconds).1f, %s, %d ... but not a literal %%; and {file}, {line} ... of str.format.
PERCENT_RE = re.compile(r"%(?:\(\w+\))?[#0+-]*(?:\d+|\*)?(?:\.\d+)?[sdifeEgGxXocr]")
BRACE_RE = re.compile(r"\{\w*\}")
TAG_RE = re.compile(r"</?[a-zA-Z][^>]*>")


def _entries(catalogue):
    return [e for e in catalogue if e.msgid and not e.obsolete]


def _msgstrs(entry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def _placeholders(text: str) -> Counter:
    text = text.replace("%%", "")
    return Counter(PERCENT_RE.findall(text) + BRACE_RE.findall(text) + TAG_RE.findall(text))


def _pairs(catalogue) -> dict:
    """(msgctxt, msgid, msgid_plural) -> msgstr, or the tuple of plural msgstrs."""
    return {
        (e.msgctxt, e.msgid, e.msgid_plural or None): (
            tuple(e.msgstr_plural[i] for i in sorted(e.msgstr_plural)) if e.msgid_plural else e.msgstr
        )
        for e in _entries(catalogue)
    }


@pytest.fixture(scope="module")
def po():
    return polib.pofile(str(PO_PATH))


def test_the_catalogue_is_indonesian_with_one_plural_form(po):
    assert po.metadata["Language"] == "id"
    assert "charset=UTF-8" in po.metadata["Content-Type"]
    assert po.metadata["Plural-Forms"].startswith("nplurals=1;")
    assert not po.metadata_is_fuzzy


def test_every_entry_is_translated_and_none_is_fuzzy(po):
    untranslated = [e.msgid for e in _entries(po) if not all(s.strip() for s in _msgstrs(e))]
    fuzzy = [e.msgid for e in _entries(po) if "fuzzy" in e.flags]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"


def test_every_placeholder_of_the_msgid_is_kept_in_the_msgstr(po):
    broken = []
    for e in _entries(po):
        wanted = _placeholders(e.msgid) | _placeholders(e.msgid_plural or "")
        for msgstr in _msgstrs(e):
            got = _placeholders(msgstr)
            if +(wanted - got) or set(got) - set(wanted):
                broken.append(f"{e.msgid!r}: expected {sorted(wanted)}, got {sorted(got)} in {msgstr!r}")
    assert not broken, "placeholders differ:\n" + "\n".join(broken)


def test_the_compiled_catalogue_matches_the_po(po):
    assert MO_PATH.exists(), "django.mo is missing: run `ilp compilemessages`"
    mo = polib.mofile(str(MO_PATH))
    po_pairs, mo_pairs = _pairs(po), _pairs(mo)
    stale = sorted(str(k[1]) for k in po_pairs.keys() | mo_pairs.keys() if po_pairs.get(k) != mo_pairs.get(k))
    assert not stale, f"django.mo differs from django.po (run `ilp compilemessages`): {stale}"


@pytest.mark.django_db
def test_the_home_page_is_indonesian_by_default_and_english_after_switching(client_as):
    client = client_as("kapus.maninjau")
    assert "Beranda" in client.get("/").content.decode()

    try:
        switched = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        assert switched.status_code == 302
        page = client.get("/").content.decode()
        assert "Home" in page
        assert "Beranda" not in page
    finally:
        # The request left English active on this thread: later tests expect the default language.
        translation.deactivate()
