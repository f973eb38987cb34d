"""The German and English catalogues are complete, and no page speaks French under /de/ or /en/.

Two checks for CI. The first extracts the messages from the sources afresh (makemessages
into a scratch copy of the catalogues) so that a string marked in a template or a module
and not yet in locale/ fails like an empty or fuzzy translation. The second renders every
page type under each prefix and looks for the French source of any translated message.
"""

import ast
import os
import re
import shutil
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.page_types import page_type_urls

LANGUAGES = ["de", "en"]


def read_po(path):
    """[{ctx, id, plural, strs, fuzzy}] of a .po file, header included (id ""), obsolete (#~) entries left out."""
    entries, current, key, fuzzy = [], None, None, False
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#,"):
            fuzzy = "fuzzy" in line
        elif not line or line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key[0]] = _append(current[key[0]], key[1:], ast.literal_eval(line))
        else:
            keyword, _, value = line.partition(" ")
            if keyword in ("msgctxt", "msgid") and (current is None or current["strs"]):
                current = {"ctx": None, "id": "", "plural": None, "strs": {}, "fuzzy": fuzzy}
                entries.append(current)
                fuzzy = False
            if keyword.startswith("msgstr"):
                index = int(keyword[7:-1]) if "[" in keyword else 0
                current["strs"][index], key = ast.literal_eval(value), ("strs", index)
            else:
                name = {"msgctxt": "ctx", "msgid": "id", "msgid_plural": "plural"}[keyword]
                current[name], key = ast.literal_eval(value), (name,)
    return entries


def _append(value, index, text):
    if index:
        value[index[0]] += text
        return value
    return (value or "") + text


def untranslated(entries):
    """Entries a reader would see in French: empty or fuzzy (a fuzzy header loses the plural rule too)."""
    return [e["id"] for e in entries if e["fuzzy"] or not all(e["strs"].values()) and e["id"]]


def catalogue(language):
    return Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"


def test_the_reader_sees_missing_and_fuzzy_entries(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: de\\n"\n\n'
        '#: a.py\nmsgid "Oui"\nmsgstr "Ja"\n\n'
        '#: a.py\n#, fuzzy\n#| msgid "Non !"\nmsgid "Non"\nmsgstr "Nein"\n\n'
        '#: a.py\nmsgctxt "mois"\nmsgid ""\n"Mai"\nmsgstr ""\n\n'
        '#: a.py\nmsgid "%(n)s réunion"\nmsgid_plural "%(n)s réunions"\nmsgstr[0] "%(n)s Treffen"\nmsgstr[1] ""\n\n'
        '#~ msgid "Ancien"\n#~ msgstr ""\n',
        encoding="utf-8",
    )
    entries = read_po(po)
    assert [e["id"] for e in entries] == ["", "Oui", "Non", "Mai", "%(n)s réunion"]
    assert untranslated(entries) == ["Non", "Mai", "%(n)s réunion"]


# CI always has gettext (the Makefile installs it): there the check never skips.
@pytest.mark.skipif(
    not shutil.which("xgettext") and not os.environ.get("CI"), reason="GNU gettext absent (make installs it)"
)
def test_every_message_of_the_sources_is_translated_in_german_and_english(tmp_path, settings, monkeypatch):
    # makemessages merges what it finds under the current directory into the catalogues
    # beside it: run it on a copy of the sources and catalogues, never in the repository.
    base = Path(settings.BASE_DIR)
    for folder in SOURCES:
        shutil.copytree(base / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=LANGUAGES, add_location="file", verbosity=0)
    for language in LANGUAGES:
        missing = untranslated(read_po(tmp_path / "locale" / language / "LC_MESSAGES" / "django.po"))
        assert not missing, f"{language}: {len(missing)} messages sans traduction ou à revoir (fuzzy) : {missing[:10]}"


# What makemessages reads (the Makefile's and locale/README.md's command ignores the rest).
SOURCES = ["charter", "directory", "entraide", "templates", "locale"]


# --- pages ---------------------------------------------------------------------------------


class Text(HTMLParser):
    """What a reader meets in the page's language: text nodes and the attributes read aloud or shown.

    Parts marked lang="fr" (the charter's text, French only) are French on purpose and left out.
    """

    ATTRIBUTES = {"title", "alt", "aria-label", "placeholder", "content", "data-label-zoom-in", "data-label-zoom-out"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, language):
        super().__init__(convert_charrefs=True)
        self.parts, self.stack = [], [(None, language)]

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        language = attributes.get("lang") or self.stack[-1][1]
        if language != "fr":
            self.parts.extend(value for name, value in attrs if name in self.ATTRIBUTES and value)
        if tag not in self.VOID:
            self.stack.append((tag, "script" if tag in ("script", "style") else language))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                break

    def handle_data(self, data):
        if self.stack[-1][1] not in ("fr", "script") and data.strip():
            self.parts.append(data)


def visible_text(html, language):
    parser = Text(language)
    parser.feed(html)
    return " ".join(" ".join(part.split()) for part in parser.parts)


def french_fragments(language):
    """Pieces of French that only an untranslated message would put on a page.

    Each translated message gives its fixed text between placeholders and markup; short
    pieces (a word or two: "Type", "Contact", "public") are left out, as content or the
    translation itself may contain them.
    """
    fragments = set()
    for entry in read_po(catalogue(language)):
        for source, index in [(entry["id"], 0), (entry["plural"], 1)]:
            if not source or entry["strs"].get(index) == source:
                continue
            translation = unescape(entry["strs"].get(index, ""))
            for piece in re.split(r"%\(\w+\)s|%s|<[^>]+>", unescape(source)):
                piece = " ".join(piece.split()).strip(" :;,.()«»")
                if len(piece) >= 14 and " " in piece and piece not in translation:
                    fragments.add(piece)
    return fragments


@pytest.fixture
def pages(db):
    return page_type_urls()


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_shows_a_french_interface_string_in_german_or_english(client, pages, language):
    mo = catalogue(language).with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < catalogue(language).stat().st_mtime:
        pytest.fail(f"{mo} absent ou plus ancien que le .po : make messages (compilemessages).")
    fragments = french_fragments(language)
    found = {}
    for url in pages:
        response = client.get(f"/{language}{url}")
        assert response.status_code in (200, 400, 404, 410), url
        assert f'<html lang="{language}">' in response.content.decode()
        text = visible_text(response.content.decode(), language)
        left = sorted(fragment for fragment in fragments if fragment in text)
        if left:
            found[url] = left
    assert not found


def test_the_check_sees_french_left_in_a_page(client, pages):
    # A German page whose messages had stayed French: the French page, declared German.
    html = client.get("/reunions/").content.decode().replace('<html lang="fr">', '<html lang="de">')
    found = {fragment for fragment in french_fragments("de") if fragment in visible_text(html, "de")}
    assert {"Trouver une réunion", "Effacer les critères"} <= found
