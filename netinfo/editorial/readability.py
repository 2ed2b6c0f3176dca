"""Plain English, measured: reading level, long sentences and unexplained words in a text.

The figures are textstat's (Flesch reading ease, Flesch-Kincaid grade), worked out on the words
a reader sees, not on the markdown.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser

import textstat

from netinfo.content import plain_text

LONG_SENTENCE_WORDS = 25
LONG_WORD_LETTERS = 10
LONG_WORD_SYLLABLES = 3

LABELS = (
    (80, "Very easy to read"),
    (70, "Easy to read"),
    (60, "Fairly easy"),
    (50, "Fairly hard"),
    (30, "Hard to read"),
)

# Long words every reader knows. Lower case; plurals and -ly, -ed, -ing forms are found by
# trimming the ending, so "families" and "usually" need only "family" and "usual".
EVERYDAY_WORDS = frozenset(
    """
    about above across activity additional addition afternoon again against already also
    altogether ambulance animal another anybody anyone anything anywhere appointment area
    arrange arrangement available banana beautiful benefit beneficial between carer
    certainly charity chocolate cigarette company completely computer condition confidential
    consider considered consultant continue continuing countryside currently daughter
    decision definitely depending describe description develop different difficult
    discussion document easily eleven emergency emotion emotional employer employment
    energy especially evening eventually every everybody everyday everyone everything
    everywhere exactly example exercise expenses experience explanation family february
    feeling finally financial following general generally happening helpline holiday
    hospital however idea immediately important importance include including independent
    information injection insurance interest interested interesting internet january
    library likely management manager medical medication medicine minister monday normally
    november october operation opportunity optional organisation organization original
    overall particular period personal pharmacist pharmacy physical position positive
    possible possibly potato prescription private probably procedure professional properly
    quality question questionnaire really recently regular related relationship relative
    remember research researcher saturday section security separate september several
    similar situation somebody someone something sometimes specialist suddenly surgery
    telephone television temperature themselves tiredness today together tomato tomorrow
    travelling traveling understand understanding understood unlikely unusual usual
    vegetable visiting volunteer website whatever whenever wherever whichever whoever
    yesterday yourselves december
    treatment summary divide microscope reference opinion committee
    government university calcium
    appetite serious infection release diagnose difference uneven sugary dangerous confusion
    discomfort painkiller overnight afterwards recover visitor visit decide record
    responsible publisher publish sentence editor editorial reviewer evidence moderate
    impossible controlled accept consumer department disabled automatic advertising
    guideline inherit diabetes constipation rejection complication unconscious oxygen
    insulin recommend recommendation overview regulator accessibility privacy healthcare
    intermediate routine clinical clinician gallstone gallbladder ultrasound
    """.split()
)
# Medical phrases that are one idea: the meter suggests the whole phrase for the glossary,
# not its long words one by one ("tyrosine kinase inhibitor", not "tyrosine" and "inhibitor").
# Multi-word glossary drafts are added to these by the meter (netinfo/editorial/meter.py).
KNOWN_PHRASES = (
    "tyrosine kinase inhibitor",
    "somatostatin analogue",
    "somatostatin receptor",
    "peptide receptor radionuclide therapy",
    "neuroendocrine carcinoma",
    "neuroendocrine tumour",
    "carcinoid syndrome",
    "carcinoid crisis",
    "carcinoid heart disease",
    "multiple endocrine neoplasia",
    "proton pump inhibitor",
    "progression-free survival",
    "overall survival",
    "hepatic artery embolisation",
    "selective internal radiation therapy",
    "radiofrequency ablation",
    "well differentiated",
    "poorly differentiated",
    "chromogranin A",
    "unknown primary",
    "randomised controlled trial",
    "informed consent",
)

# Abbreviations every reader in the UK knows.
EVERYDAY_ABBREVIATIONS = frozenset({"OK", "UK", "NHS", "GP", "GPs", "TV"})

_WORD = re.compile(r"[^\W_](?:[\w'’-]*[^\W_])?")
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
_ABBREVIATION = re.compile(r"[A-Z][A-Z0-9&-]*[A-Z](?:s)?$")
_ORDINAL_OR_TIME = re.compile(r"\d+(?:st|nd|rd|th|s|am|pm)$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+")
# Full stops that rarely end a sentence.
_ABBREVIATED = re.compile(r"\b(?:(?i:e\.g|i\.e|etc|approx|vs)|Dr|Mr|Mrs|Ms|Prof|[A-Z])\.$")


@dataclass
class Readability:
    reading_ease: float
    grade: float
    label: str
    long_sentences: list[str] = field(default_factory=list)
    words: int = 0
    sentences: int = 0


def label_for(reading_ease: float) -> str:
    for floor, label in LABELS:
        if reading_ease >= floor:
            return label
    return "Very hard"


def _lines(text: str) -> list[str]:
    """Plain text, one block per line, each ending as a sentence.

    Headings and list items rarely end with a full stop; without one textstat would run them
    into the next paragraph as one long sentence.
    """
    lines = plain_text(text).splitlines()
    return [line if line[-1] in ".!?:;" else f"{line}." for line in lines if line]


def sentences(text: str) -> list[str]:
    found = []
    for line in _lines(text):
        pieces = [piece for piece in _SENTENCE_END.split(line) if piece.strip()]
        for piece in pieces:
            if found and found[-1] is not None and _ABBREVIATED.search(found[-1]):
                found[-1] = f"{found[-1]} {piece}"
            else:
                found.append(piece)
        found.append(None)  # a new block always starts a new sentence
    return [sentence for sentence in found if sentence]


def measure(text: str) -> Readability:
    """Reading ease, grade and long sentences (over 25 words) of markdown or plain text."""
    prose = "\n".join(_lines(text))
    words = textstat.lexicon_count(prose)
    if not words:
        return Readability(reading_ease=0.0, grade=0.0, label="No text")
    reading_ease = textstat.flesch_reading_ease(prose)
    return Readability(
        reading_ease=reading_ease,
        grade=textstat.flesch_kincaid_grade(prose),
        label=label_for(reading_ease),
        long_sentences=[
            sentence
            for sentence in sentences(text)
            if textstat.lexicon_count(sentence) > LONG_SENTENCE_WORDS
        ],
        words=words,
        sentences=textstat.sentence_count(prose),
    )


def _is_everyday(word: str) -> bool:
    word = word.lower()
    candidates = {word}
    for ending, replacement in (
        ("ies", "y"),
        ("es", ""),
        ("s", ""),
        ("ly", ""),
        ("ily", "y"),
        ("ed", ""),
        ("d", ""),
        ("ing", ""),
        ("ing", "e"),
    ):
        if word.endswith(ending):
            candidates.add(word[: -len(ending)] + replacement)
    return not candidates.isdisjoint(EVERYDAY_WORDS)


def _syllables(word: str) -> int:
    # Counted on the singular too: textstat finds 2 in "analogues" but 3 in "analogue".
    return max(textstat.syllable_count(word), textstat.syllable_count(word.removesuffix("s")))


def _is_hard(word: str) -> bool:
    has_digit = any(char.isdigit() for char in word)
    if has_digit:
        return any(char.isalpha() for char in word) and not _ORDINAL_OR_TIME.fullmatch(word)
    if _ABBREVIATION.fullmatch(word):
        return word not in EVERYDAY_ABBREVIATIONS
    # Judge a hyphenated word by its parts: "follow-up" is easy, "neuroendocrine-like" is not.
    for part in re.split(r"[-'’]", word):
        if not part or _is_everyday(part):
            continue
        letters = sum(char.isalpha() for char in part)
        if letters >= LONG_WORD_LETTERS or _syllables(part) >= LONG_WORD_SYLLABLES:
            return True
    return False


@functools.lru_cache(maxsize=8)  # one glossary, many texts: the meter and its report
def _known_pattern(known: tuple[str, ...]) -> re.Pattern | None:
    forms = set()
    for form in known:
        form = " ".join(form.split())
        if form:
            forms.add(form)
            if form[-1] in "sS" and len(form) > 2:
                forms.add(form[:-1])  # "CTCs" also covers "CTC"
    if not forms:
        return None
    ordered = sorted(forms, key=lambda form: (-len(form), form))
    alternation = "|".join(r"\s+".join(map(re.escape, form.split())) for form in ordered)
    return re.compile(rf"(?<!\w)(?:{alternation})(?:['’]?s|es)?(?!\w)", re.IGNORECASE)


def unexplained_words(
    text: str, known: Iterable[str], phrases: Iterable[str] = KNOWN_PHRASES
) -> list[str]:
    """Long or technical words in ``text`` that no glossary term explains.

    Long: 3 or more syllables or 10 or more letters, unless an everyday word ("hospital").
    Technical: abbreviations in capitals ("PRRT") and words mixing letters and digits
    ("Ki-67"). A word is explained when it is, or is part of, a ``known`` term or form
    (any case, plural "s" tolerated): "neuroendocrine" in "neuroendocrine tumour" is covered
    when "neuroendocrine tumour" is known. A hard word inside one of ``phrases`` is offered
    as the whole phrase, as it is written in the text. Unique, in order of first appearance.
    """
    plain = plain_text(text)
    pattern = _known_pattern(tuple(known))
    if pattern is not None:
        plain = pattern.sub(" ", plain)
    found: dict[str, tuple[int, str]] = {}  # "net" for NET, NETs and nets: one entry each
    phrase_pattern = _known_pattern(tuple(phrase for phrase in phrases if " " in phrase))
    if phrase_pattern is not None:
        for match in phrase_pattern.finditer(plain):
            phrase = " ".join(match.group().split())
            key = phrase.casefold().removesuffix("s")
            if key not in found and any(_is_hard(w) for w in _WORD.findall(phrase)):
                found[key] = (match.start(), phrase)
        plain = phrase_pattern.sub(lambda m: " " * len(m.group()), plain)
    for match in _WORD.finditer(plain):
        word = _POSSESSIVE.sub("", match.group())
        key = word.casefold().removesuffix("s")
        if key not in found and _is_hard(word):
            found[key] = (match.start(), word)
    return [word for _, word in sorted(found.values())]


# ---- Whole pages ----

# Each of these is read as one sentence of its own: the blocks a reader meets in a page.
PAGE_BLOCK_TAGS = frozenset(
    "p li td th caption h1 h2 h3 h4 h5 h6 dt dd summary legend label blockquote pre "
    "figcaption".split()
)
_SKIP_TAGS = frozenset({"script", "style", "template", "noscript"})


class _MainText(HTMLParser):
    """The text of a page's ``<main>``, one block (``PAGE_BLOCK_TAGS``) a line."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.in_main = 0
        self.skip = 0
        self.blocks: list[str] = []
        self.current: list[str] = []

    def _break(self):
        line = " ".join("".join(self.current).split())
        if line:
            self.blocks.append(line)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.in_main += 1
        elif tag in _SKIP_TAGS:
            self.skip += 1
        if tag in PAGE_BLOCK_TAGS or tag == "br":
            self._break()

    def handle_endtag(self, tag):
        if tag in PAGE_BLOCK_TAGS:
            self._break()
        if tag == "main":
            self._break()
            self.in_main = max(0, self.in_main - 1)
        elif tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)

    def handle_data(self, data):
        if self.in_main and not self.skip:
            self.current.append(data)


def page_blocks(page_html: str) -> list[str]:
    """The words in a whole page's main content, one paragraph, list item, table cell,
    heading, term or label a line."""
    parser = _MainText()
    parser.feed(page_html)
    parser.close()
    parser._break()
    return parser.blocks


def measure_page(page_html: str) -> Readability:
    """Reading ease of a whole page's main content, each block read as a sentence."""
    return measure("".join(f"<p>{html.escape(block)}</p>" for block in page_blocks(page_html)))
