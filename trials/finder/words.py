"""How the trial finder reads words: what a patient typed (``q``), and a trial's text.

``parse_query`` turns what was typed into "slots": each slot is one word, phrase or registry
number, with every spelling we should also look for (tumor/tumour, carcinoid/NET, a glossary
term's other forms, from ``load_synonyms``). A trial matches when every slot does, any of its
spellings will do: in memory (``trials.finder.index``) for the page, in SQL
(``trials.finder.sql.words``) for ``TrialFilter.qs``. Both look in the trial's search text,
its words made plain by ``plain_words`` (``trials.finder.search_text``). No request needed.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from netinfo import page_glossary
from netinfo.glossary_matcher import GlossaryMatcher
from netinfo.models import GlossaryTerm

MAX_QUERY_LENGTH = 200
MAX_SLOTS = 8
MAX_ALTERNATIVES = 12
# Shorter words are matched as whole words: "NET" as a substring is in "genetic".
MIN_SUBSTRING_LENGTH = 4

# Every result is a trial for NETs: these words narrow nothing, so they are not required.
STOPWORDS = frozenset(
    "a an and are about any at be by can clinical for from have i in is it me my near new "
    "of on or study studies the this to trial trials what which who with".split()
)

# Older and newer names that mean the same thing to a patient. The glossary adds its own
# terms and their other forms to these (see ``load_synonyms``).
NAME_GROUPS = (
    (
        "carcinoid",
        "carcinoid tumour",
        "neuroendocrine tumour",
        "neuroendocrine tumor",
        "NET",
        "NETs",
        "neuroendocrine neoplasm",
        "NEN",
        "NENs",
    ),
    ("NEC", "neuroendocrine carcinoma", "poorly differentiated"),
)

# The start of a word in US and UK spelling, where no simple rule makes one from the other.
US_UK_STEMS = (
    ("anemi", "anaemi"),
    ("celiac", "coeliac"),
    ("center", "centre"),
    ("diarrhea", "diarrhoea"),
    ("edema", "oedema"),
    ("esophag", "oesophag"),
    ("estrogen", "oestrogen"),
    ("gynecolog", "gynaecolog"),
    ("hemat", "haemat"),
    ("hemoglobin", "haemoglobin"),
    ("hemorrh", "haemorrh"),
    ("leukemi", "leukaemi"),
    ("pediatr", "paediatr"),
)

# Registry numbers anywhere in the text, in the spellings people type: any case, with or
# without spaces or dashes, with or without the registry's prefix.
_SEP = r"[\s:#\-–/.]{0,3}"
IDENTIFIER_RE = re.compile(
    r"(?<![\w])(?:"
    rf"nct{_SEP}(?P<nct>\d{{8}})"
    rf"|isrctn{_SEP}(?P<isrctn>\d{{8}})"
    rf"|(?:eu{_SEP}ct{_SEP}(?:number{_SEP})?)?"
    rf"(?P<euct>\d{{4}}{_SEP}\d{{6}}{_SEP}\d{{2}}{_SEP}\d{{2}})"
    rf"|(?:eudract{_SEP}(?:number{_SEP})?)?(?P<eudract>\d{{4}}{_SEP}\d{{6}}{_SEP}\d{{2}})"
    rf"|iras{_SEP}(?:id{_SEP})?(?P<iras>\d{{4,7}})"
    r"|(?P<bare>\d{8})"
    r")(?![\w])",
    re.IGNORECASE,
)
WORD_RE = re.compile(r"\w+(?:[-'’.]\w+)*")


def identifier_candidates(match):
    """The stored forms (see ``Identifier.normalise``) a registry-number match could be."""
    digits = re.sub(r"\D", "", match.group(0))
    if match["nct"]:
        return ["NCT" + match["nct"]]
    if match["isrctn"]:
        return ["ISRCTN" + match["isrctn"]]
    if match["euct"]:
        return [f"{digits[-14:-10]}-{digits[-10:-4]}-{digits[-4:-2]}-{digits[-2:]}"]
    if match["eudract"]:
        return [f"{digits[-12:-8]}-{digits[-8:-2]}-{digits[-2:]}"]
    if match["iras"]:
        return [match["iras"]]
    return ["NCT" + match["bare"], "ISRCTN" + match["bare"]]  # 8 digits: either registry


def fold_accents(text):
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def fold(text):
    """Lower case and without accents."""
    text = text.casefold()
    return text if text.isascii() else fold_accents(text).casefold()


_LETTERS_AND_DIGITS = re.compile(r"[^\W_]+")


def plain_words(text):
    """``text`` as it is searched: folded, its words (letters and digits) one space apart,
    punctuation gone ("Ki-67" -> "ki 67"). The finder's search text (``search_text``)
    is stored so, and what was typed is made so to match it."""
    return " ".join(_LETTERS_AND_DIGITS.findall(fold(text)))


def singular(word):
    """A crude singular that is always a substring of the word, so it only widens a search."""
    if len(word) >= 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def spellings(word):
    """The word and its other spellings: UK and US, accents or none, singular."""
    word = word.casefold()
    forms = {word, fold_accents(word)}
    for form in list(forms):
        forms.add(singular(form))
    for form in list(forms):
        if form.endswith("our") and len(form) > 4:
            forms.add(form[:-3] + "or")
        elif form.endswith("or") and len(form) > 4:
            forms.add(form[:-2] + "our")
        forms.add(re.sub(r"is(e|ed|es|ing|ation|ations)$", r"iz\1", form))
        forms.add(re.sub(r"iz(e|ed|es|ing|ation|ations)$", r"is\1", form))
        forms.add(
            re.sub(
                r"y([sz])(e|ed|es|ing)$", lambda m: "y" + ("z" if m[1] == "s" else "s") + m[2], form
            )
        )
        for us, uk in US_UK_STEMS:
            for one, other in ((us, uk), (uk, us)):
                if form.startswith(one):
                    forms.add(other + form[len(one) :])
    return forms


@dataclass
class Synonyms:
    """Groups of words and phrases that mean the same, looked up case-insensitively."""

    groups: dict = field(default_factory=dict)  # casefolded form -> set of forms
    longest: int = 1  # the most words in any form, for phrase matching
    # casefolded form -> the ids of the tumour sites it names ("insulinoma": the pancreas)
    sites: dict = field(default_factory=dict)
    matcher: GlossaryMatcher | None = None  # the glossary, for pop-ups in the finder's text

    def add(self, forms, sites=()):
        forms = {" ".join(form.split()) for form in forms if form.strip()}
        merged = set(forms)
        for form in forms:
            merged |= self.groups.get(form.casefold(), set())
        for form in merged:
            self.groups[form.casefold()] = merged
            self.longest = max(self.longest, len(form.split()))
        if sites:
            for form in forms:  # only the forms of the word that names the sites
                self.sites.setdefault(form.casefold(), set()).update(sites)

    def of(self, phrase):
        return self.groups.get(phrase.casefold(), set())

    def sites_of(self, phrase):
        """The tumour sites (ids) a word or phrase names, also in the plural ("insulinomas")."""
        phrase = " ".join(phrase.split()).casefold()
        return self.sites.get(phrase) or self.sites.get(singular(phrase)) or set()


def load_synonyms():
    """The built-in name groups plus every published glossary term and its other forms, in
    one query. The finder index (``trials.finder.index``) loads them with the trials, once
    per content version.
    """
    synonyms = Synonyms()
    for group in NAME_GROUPS:
        synonyms.add(group)
    terms = {}  # (slug, term, other forms, definition) -> the ids of the sites it names
    rows = GlossaryTerm.objects.published().values_list(*page_glossary.ENTRY_FIELDS, "tumour_sites")
    for *fields, site_id in rows.order_by("pk"):  # one row per site
        sites = terms.setdefault(tuple(fields), set())
        if site_id is not None:
            sites.add(site_id)
    for (_slug, term, other_forms, _definition), sites in terms.items():
        synonyms.add([term, *other_forms.splitlines()], sites)
    # The finder page's pop-ups in its hints and cards, from the same rows: no query of its own.
    synonyms.matcher = GlossaryMatcher(page_glossary.entry(*fields) for fields in terms)
    return synonyms


@dataclass
class Slot:
    """One thing the search must find: a word or phrase (any of its spellings will do), or a
    registry number (one of its stored forms)."""

    typed: str
    alternatives: list = field(default_factory=list)
    identifiers: list = field(default_factory=list)
    sites: list = field(default_factory=list)  # ids of the tumour sites the words name


@dataclass
class ParsedQuery:
    text: str = ""
    slots: list = field(default_factory=list)
    truncated: bool = False
    dropped_words: bool = False

    @property
    def is_identifier(self):
        return bool(self.slots) and all(slot.identifiers for slot in self.slots)

    @property
    def also_searched(self):
        """Spellings we looked for beyond what was typed, for "We also looked for ..."."""
        extra = []
        for slot in self.slots:
            typed = {slot.typed.casefold(), singular(slot.typed.casefold())}
            for alternative in slot.alternatives:
                if alternative not in typed and alternative not in extra:
                    extra.append(alternative)
        return extra


def _alternatives(phrase, synonyms):
    typed = phrase.casefold()
    forms = set()
    for form in {phrase, *synonyms.of(phrase)}:
        forms |= spellings(form)
    forms.discard("")
    # A form that contains a longer-than-short form adds nothing: "tumours" once "tumour" is
    # there. Short forms are matched as whole words, so they never make another redundant.
    long = [form for form in forms if len(form) >= MIN_SUBSTRING_LENGTH]
    kept = [form for form in forms if not any(other != form and other in form for other in long)]
    # The typed form first, then the shortest: what is kept when there are too many.
    kept.sort(key=lambda form: (form not in (typed, singular(typed)), len(form), form))
    return kept[:MAX_ALTERNATIVES]


def parse_query(text, synonyms=None):
    """What to look for. Registry numbers are found in any spelling; the rest is words."""
    synonyms = synonyms or Synonyms()
    text = " ".join((text or "").split())
    parsed = ParsedQuery(text=text)
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH]
        parsed.truncated = True
    slots = []
    for match in IDENTIFIER_RE.finditer(text):
        slots.append(Slot(typed=match.group(0), identifiers=identifier_candidates(match)))
    words = WORD_RE.findall(IDENTIFIER_RE.sub(" ", text))
    i = 0
    while i < len(words):
        for size in range(min(synonyms.longest, len(words) - i), 0, -1):
            phrase = " ".join(words[i : i + size])
            if size == 1 or synonyms.of(phrase):
                break
        i += size
        if size == 1 and (phrase.casefold() in STOPWORDS or len(phrase) < 2):
            continue
        slots.append(
            Slot(
                typed=phrase,
                alternatives=_alternatives(phrase, synonyms),
                sites=sorted(synonyms.sites_of(phrase)),
            )
        )
    if len(slots) > MAX_SLOTS:
        parsed.dropped_words = True
        slots = slots[:MAX_SLOTS]
    parsed.slots = slots
    return parsed
