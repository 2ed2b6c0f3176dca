"""Finding glossary terms in text, and the markup of a marked term: the part of the content
pipeline (``netinfo.content``) that knows the glossary. Pure functions, no database: the
matcher is built from ``GlossaryEntry`` values (``GlossaryTerm.published_matcher`` for
rendering, ``netinfo.page_glossary`` for template text)."""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import quote

GLOSSARY_URL = "/glossary/{slug}/"


@dataclass(frozen=True)
class GlossaryEntry:
    slug: str
    term: str  # display name, e.g. "Circulating tumour cells"
    forms: tuple[str, ...] = ()  # other forms, e.g. ("CTC", "CTCs", "circulating tumour cell")
    definition: str = ""  # plain text, one to three sentences

    def __post_init__(self):
        object.__setattr__(self, "forms", tuple(self.forms))


def _normalise(form: str) -> str:
    return " ".join(form.replace("’", "'").split()).lower()


def _is_abbreviation(form: str) -> bool:
    """'NET', 'NETs', '5-HIAA': written in capitals (a plural "s" aside)."""
    letters = "".join(char for char in form if char.isalpha())
    if len(letters) > 2 and letters.endswith("s") and letters[-2].isupper():
        letters = letters[:-1]
    return len(letters) >= 2 and letters.isupper()


def _char_pattern(char: str) -> str:
    if char == " ":
        return r"\s+"  # a term may be split over two lines
    if char == "'":
        return "['’]"
    return re.escape(char)


def _trie_pattern(forms: Iterable[str]) -> str:
    """One alternation for all forms, as a trie: "tumour(?:s)?" rather than "tumours|tumour".

    Sharing prefixes keeps matching fast with hundreds of terms (a word that starts no term
    fails on its first letter). At every branch the longer continuation is tried before the
    shorter ending, so the longest form wins, as with alternatives sorted longest first.

    Built with a stack, not recursion: a form may be as long as an editor types it, and
    Python's recursion limit must not decide whether anyone can save.
    """
    trie: dict = {}
    for form in forms:
        node = trie
        for char in form:
            node = node.setdefault(char, {})
        node[""] = {}  # a form ends here

    emitted: dict[int, str] = {}  # id(node) -> its pattern, once its children have one
    stack: list[tuple[dict, bool]] = [(trie, False)]
    while stack:
        node, children_done = stack.pop()
        if not children_done:
            stack.append((node, True))
            stack.extend((child, False) for char, child in node.items() if char)
            continue
        branches = [
            _char_pattern(char) + emitted.pop(id(child)) for char, child in node.items() if char
        ]
        if not branches:
            emitted[id(node)] = ""
        elif len(branches) == 1 and "" not in node:
            emitted[id(node)] = branches[0]
        else:
            emitted[id(node)] = f"(?:{'|'.join(branches)}){'?' if '' in node else ''}"
    return emitted[id(trie)]


def _flat_pattern(forms: Iterable[str]) -> str:
    """The same alternation without nesting, longest form first (slower to match)."""
    ordered = sorted(forms, key=len, reverse=True)
    return "(?:" + "|".join("".join(_char_pattern(char) for char in form) for form in ordered) + ")"


@functools.lru_cache(maxsize=64)
def _compile(forms: tuple[str, ...]) -> re.Pattern:
    """The pattern for these forms. The same glossary gives the same forms each time its
    matcher is made again (after any edit, for the new content version; for the finder's
    index and each page's glossary), so the last few patterns are kept."""
    for build in (_trie_pattern, _flat_pattern):
        try:
            return re.compile(rf"(?<!\w){build(forms)}(?!\w)", re.IGNORECASE)
        except RecursionError:
            # Python's regex parser recurses once per nested group: hundreds of forms that
            # each extend the last nest the trie that deep. The flat list never nests.
            continue
    raise AssertionError("unreachable: the flat pattern has no nesting")


class GlossaryMatcher:
    """Finds glossary terms in text: whole words, any form, longest match first.

    Case-insensitive, except that a form written in capitals in the glossary (an abbreviation
    such as "NET" or "CTCs") matches only in capitals: "NET" does not explain the "net" of
    "safety net". All forms of all terms share one compiled regex.
    """

    def __init__(self, entries: Iterable[GlossaryEntry]):
        self._entries: dict[str, GlossaryEntry] = {}  # normalised form -> entry
        self._abbreviations: set[str] = set()  # normalised forms that must match in capitals
        for entry in entries:
            for form in (entry.term, *entry.forms):
                key = _normalise(form)
                if key and key not in self._entries:
                    self._entries[key] = entry
                    if _is_abbreviation(form):
                        self._abbreviations.add(key)
        self.slugs = frozenset(entry.slug for entry in self._entries.values())
        self.pattern = None
        if self._entries:
            self.pattern = _compile(tuple(self._entries))

    def __len__(self):
        return len(self.slugs)

    def __bool__(self):
        return self.pattern is not None

    def entry_for(self, text: str) -> GlossaryEntry | None:
        return self._entries.get(_normalise(text))

    def finditer(self, text: str) -> Iterator[tuple[re.Match, GlossaryEntry]]:
        if self.pattern is None:
            return
        for match in self.pattern.finditer(text):
            key = _normalise(match.group())
            if key in self._abbreviations and (
                not _is_abbreviation(match.group()) or _hyphenated(text, match)
            ):
                continue
            if key in self._entries:  # always, bar exotic case folding
                yield match, self._entries[key]


def _hyphenated(text: str, match: re.Match) -> bool:
    """True when the match is part of a hyphenated name: the "NET" of "CALM-NET"."""
    start, end = match.span()
    before = start >= 2 and text[start - 1] == "-" and text[start - 2].isalnum()
    after = end + 1 < len(text) and text[end] == "-" and text[end + 1].isalnum()
    return before or after


def glossary_link(entry: GlossaryEntry, text: str) -> str:
    """The markup for a marked term. Without JavaScript it is a link to the term's page.

    The definition rides in data attributes rather than a hidden element: rendering happens at
    save time, so no ID could be guaranteed unique on a page (glossary.js makes its own), and
    text extraction (search, summaries, copy and paste) never picks up the definition.
    """
    slug = html.escape(entry.slug)
    href = html.escape(GLOSSARY_URL.format(slug=quote(entry.slug, safe="")))
    return (
        f'<a class="app-glossary" href="{href}" data-glossary="{slug}"'
        f' data-glossary-term="{html.escape(entry.term)}"'
        f' data-glossary-definition="{html.escape(entry.definition)}">'
        f"{html.escape(text, quote=False)}</a>"
    )


# The start of ``glossary_link``'s markup, up to the slug: only the pipeline writes it (an
# editor's own "<" is escaped), so it marks exactly the terms a reader is shown.
GLOSSARY_MARK = re.compile(r'<a class="app-glossary" href="[^"]*" data-glossary="([^"]*)"')


def glossary_slugs(*rendered: str) -> set[str]:
    """The glossary terms (slugs) explained in rendered HTML."""
    return {html.unescape(slug) for text in rendered for slug in GLOSSARY_MARK.findall(text or "")}
