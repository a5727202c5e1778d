"""The catalogues (src/nuso/locale): the English and bokmål ones hold exactly the texts the
portal marks for translation (read from the templates and the Python here as `makemessages`
reads them, so no GNU gettext is needed), every bokmål text is translated with the same
placeholders and markup, each compiled .mo says what its .po says, and no template shows a
text that is not marked."""

from __future__ import annotations

import ast
import gettext
import io
import re
import tokenize
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.utils.translation.template import templatize

import nuso

SOURCE = Path(nuso.__file__).parent
LOCALE = SOURCE / "locale"
TRANSLATED = ["en", "nb"]  # catalogues of every marked text; sv's texts are the msgids
KEYWORDS = {  # as makemessages: the message's arguments (context first where there is one)
    "gettext": 1, "gettext_lazy": 1, "gettext_noop": 1, "_": 1, "said": 1, "ngettext": 2,
    "ngettext_lazy": 2, "pgettext": 2, "pgettext_lazy": 2, "npgettext": 3, "npgettext_lazy": 3,
}  # fmt: skip
PLACEHOLDER = re.compile(r"%\(\w+\)[sdi]|%s|\{\d\}|</?\w+[^>]*>")


@dataclass
class Entry:
    context: str | None = None
    msgid: str = ""
    plural: str | None = None
    strings: dict[int, str] = field(default_factory=dict)  # msgstr is 0
    fuzzy: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.msgid)


def read_po(path: Path) -> list[Entry]:
    """The entries of a catalogue, without its header and without obsolete ones (#~)."""
    entries: list[Entry] = []
    entry, part = Entry(), ""
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip() or line.startswith("#"):
            if entry.strings:
                entries.append(entry)
                entry = Entry()
            entry.fuzzy |= line.startswith("#,") and "fuzzy" in line
            continue
        keyword, _, text = line.partition(" ")
        if keyword.startswith("msg"):
            part = keyword
        else:
            text = line
        value = ast.literal_eval(text)
        if part == "msgctxt":
            entry.context = (entry.context or "") + value
        elif part == "msgid":
            entry.msgid += value
        elif part == "msgid_plural":
            entry.plural = (entry.plural or "") + value
        else:
            index = int(part[7:-1]) if "[" in part else 0
            entry.strings[index] = entry.strings.get(index, "") + value
    return [e for e in entries if e.msgid]


def _calls(tokens: list[tokenize.TokenInfo]) -> set[tuple[str | None, str]]:
    """The messages of gettext calls in a stream of Python tokens (a templatized template)."""
    found = set()
    for at, token in enumerate(tokens):
        if token.type != tokenize.NAME or token.string not in KEYWORDS:
            continue
        if at + 1 >= len(tokens) or tokens[at + 1].string != "(":
            continue
        strings: list[str] = []
        for following in tokens[at + 2 :]:
            if following.type == tokenize.STRING:
                strings.append(ast.literal_eval(following.string))
            elif following.string in (",", ")"):
                if following.string == ")":
                    break
            else:
                break
        if token.string.startswith(("p", "np")):
            found.add((strings[0], strings[1]))
        else:
            found.add((None, strings[0]))
    return found


def template_messages(path: Path) -> set[tuple[str | None, str]]:
    """A template's messages, as makemessages finds them: Django's templatize, then its calls
    (lines unindented: templatize pads everything else with X, which is no Python)."""
    code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    code = "\n".join(line.lstrip() for line in code.splitlines())
    return _calls(list(tokenize.generate_tokens(io.StringIO(code).readline)))


def python_messages(path: Path) -> set[tuple[str | None, str]]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in KEYWORDS or not node.args:
            continue
        values = [a.value for a in node.args if isinstance(a, ast.Constant)]
        if not values or not all(isinstance(v, str) for v in values[:1]):
            continue
        found.add((values[0], values[1]) if name.startswith(("p", "np")) else (None, values[0]))
    return found


def marked() -> set[tuple[str | None, str]]:
    found = set()
    for path in SOURCE.rglob("*"):
        if path.suffix == ".html":
            found |= template_messages(path)
        elif path.suffix == ".py":
            found |= python_messages(path)
    return found


def test_the_extraction_finds_what_the_portal_marks() -> None:
    """The reading used below finds texts of each kind: a template's translate and
    blocktranslate (with its plural), Python's gettext and a context."""
    found = marked()
    assert (None, "Hoppa till innehållet") in found  # {% translate %}
    assert (None, "Enhet med inlästa uppgifter (%(counter)s)") in found  # blocktranslate count
    assert (None, "Enheterna rangordnade efter andel, med 95 %% konfidensintervall") in found
    assert (None, "Nyckeltal över tid") in found  # _() in a view
    assert ("twilio_locale", "en") in found  # pgettext_lazy


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_catalogue_holds_every_marked_text_and_no_other(language: str) -> None:
    """After a text is marked, changed or removed, `makemessages` and a translation are due
    (docs/portal.md)."""
    held = {entry.key for entry in read_po(LOCALE / language / "LC_MESSAGES/django.po")}
    found = marked()
    assert sorted(found - held, key=str) == [], "marked, not in the catalogue"
    assert sorted(held - found, key=str) == [], "in the catalogue, marked nowhere"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_text_is_translated_with_its_placeholders(language: str) -> None:
    problems = []
    for entry in read_po(LOCALE / language / "LC_MESSAGES/django.po"):
        sources = [entry.msgid] if entry.plural is None else [entry.msgid, entry.plural]
        if entry.fuzzy or len(entry.strings) != len(sources) or not all(entry.strings.values()):
            problems.append(("untranslated or fuzzy", entry.msgid))
            continue
        for index, source in enumerate(sources):
            wanted, given = PLACEHOLDER.findall(source), PLACEHOLDER.findall(entry.strings[index])
            # The singular of a plural may say "one" instead of its number.
            if sorted(wanted) != sorted(given) and not (index == 0 and entry.plural):
                problems.append(("placeholders or markup differ", entry.msgid))
    assert problems == []


@pytest.mark.parametrize("language", ["sv", *TRANSLATED])
def test_the_compiled_catalogue_is_the_current_one(language: str) -> None:
    """Each .mo says what its .po says (compilemessages after every change)."""
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as handle:
        compiled = dict(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]
    compiled.pop("", None)  # the header
    written: dict[object, str] = {}
    for entry in read_po(folder / "django.po"):
        if entry.fuzzy or not all(entry.strings.values()):
            continue
        msgid = entry.msgid if entry.context is None else f"{entry.context}\x04{entry.msgid}"
        if entry.plural is None:
            written[msgid] = entry.strings[0]
        else:
            written.update({(msgid, n): text for n, text in entry.strings.items()})
    assert compiled == written


class ShownText(HTMLParser):
    """What a reader meets of a page or template: its text, and the attributes read out or
    shown."""

    SHOWN_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.in_script = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_script += tag in ("script", "style")
        self.parts += [value or "" for name, value in attrs if name in self.SHOWN_ATTRIBUTES]

    def handle_endtag(self, tag: str) -> None:
        self.in_script -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self.in_script:
            self.parts.append(data)


TRANSLATED_BLOCK = re.compile(
    r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}", re.S
)
TEMPLATE_CODE = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
NOT_TRANSLATED = {  # the same in every language
    "NUSO", "nuso import",
    "På svenska", "In English", "På norsk",  # each language's own name for itself
    "Barnets ålder (år)=alder",  # an example of a header in a Swedish municipality's export
}  # fmt: skip


def untranslated_text(path: Path) -> list[str]:
    template = TEMPLATE_CODE.sub(" ", TRANSLATED_BLOCK.sub(" ", path.read_text(encoding="utf-8")))
    parser = ShownText()
    parser.feed(template)
    shown = [" ".join(part.split()).strip(" –·:.,()") for part in parser.parts]
    words = re.compile(r"[^\W\d_]{2}")  # two letters: a number or a dash is no text
    return [text for text in shown if words.search(text) and text not in NOT_TRANSLATED]


def test_no_template_shows_a_text_that_is_not_marked_for_translation() -> None:
    found = {
        str(path.relative_to(SOURCE)): texts
        for path in sorted(SOURCE.rglob("*.html"))
        if (texts := untranslated_text(path))
    }
    assert found == {}
