"""The trial finder's questions to the database, answerable without a request.

- ``parse_query`` turns what a patient typed into "slots": each slot is one word, phrase or
  registry number, with every spelling we should also look for (tumor/tumour, carcinoid/NET,
  a glossary term's other forms). ``text_condition`` makes that a ``Q``: every slot must
  match somewhere, any of its spellings will do. Words are looked for in one narrow row of
  plain words per trial (``trials.search_text``), not in the wide trial table, with plain
  ``contains`` lookups (LIKE), so SQLite and PostgreSQL share one interface.
- ``option_counts`` and the ``*_counts`` functions give the number beside each filter option
  ("Pancreas (4)"), with the other filters kept, in a fixed number of queries: one aggregate
  for every single-valued option, one grouped query for each many-valued filter.
- ``paginate`` and ``cards`` turn a page of trials into what the result list shows.
"""

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q

from netinfo.content import plain_text
from netinfo.models import GlossaryTerm
from treatments.models import Drug
from trials.models import Identifier, Location, Trial, TrialSearchText

MAX_QUERY_LENGTH = 200
MAX_SLOTS = 8
MAX_ALTERNATIVES = 12
# Shorter words are matched as whole words: "NET" as a substring is in "genetic".
MIN_SUBSTRING_LENGTH = 4
PAGE_SIZE = 20

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
    punctuation gone ("Ki-67" -> "ki 67"). The finder's search text (trials.search_text)
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

    def add(self, forms):
        forms = {" ".join(form.split()) for form in forms if form.strip()}
        merged = set(forms)
        for form in forms:
            merged |= self.groups.get(form.casefold(), set())
        for form in merged:
            self.groups[form.casefold()] = merged
            self.longest = max(self.longest, len(form.split()))

    def of(self, phrase):
        return self.groups.get(phrase.casefold(), set())


def load_synonyms():
    """The built-in name groups plus every published glossary term and its other forms.

    One query, run on every search so that the finder's query count never depends on what
    was typed; the glossary is small.
    """
    synonyms = Synonyms()
    for group in NAME_GROUPS:
        synonyms.add(group)
    for term, other_forms in GlossaryTerm.objects.published().values_list("term", "other_forms"):
        synonyms.add([term, *other_forms.splitlines()])
    return synonyms


@dataclass
class Slot:
    """One thing the search must find: a word or phrase (any of its spellings will do), or a
    registry number (one of its stored forms)."""

    typed: str
    alternatives: list = field(default_factory=list)
    identifiers: list = field(default_factory=list)


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
        slots.append(Slot(typed=phrase, alternatives=_alternatives(phrase, synonyms)))
    if len(slots) > MAX_SLOTS:
        parsed.dropped_words = True
        slots = slots[:MAX_SLOTS]
    parsed.slots = slots
    return parsed


def _whole_word(word):
    """Q: ``word`` or its plural as a whole word of the search text, where every word has a
    space either side. The first half (the word's end) is only there for speed: SQLite's
    LIKE is slow to try a pattern that starts with a space, so it rules out most rows first."""
    ends = Q(text__contains=f"{word} ") | Q(text__contains=f"{word}s ")
    return ends & (Q(text__contains=f" {word} ") | Q(text__contains=f" {word}s "))


def _words(slot):
    """Q on the search text: it has any of the slot's spellings."""
    words = Q()
    for alternative in dict.fromkeys(filter(None, map(plain_words, slot.alternatives))):
        if len(alternative) < MIN_SUBSTRING_LENGTH:
            words |= _whole_word(alternative)
        else:
            words |= Q(text__contains=alternative)
    return words


def text_condition(parsed):
    """Every slot must match; None when nothing was typed that could narrow the search.

    A registry number is looked up exactly. Words are looked for in the trial's one narrow
    row of search text (trials.search_text), all of them in one EXISTS: the database tests
    it only on the trials the other filters leave, and stops at the first page of results
    when it can (faster than an IN list of every trial with the words, which it must make
    in full, for all but rare words that match nothing).
    """
    if not parsed.slots:
        return None
    condition, words = Q(), Q()
    for slot in parsed.slots:
        if slot.identifiers:
            numbers = Identifier.objects.filter(value__in=slot.identifiers)
            condition &= Q(pk__in=numbers.values("trial_id"))
        else:
            words &= _words(slot)
    if words:
        texts = TrialSearchText.objects.filter(words, trial=OuterRef("pk"))
        condition &= Q(Exists(texts))
    return condition


# ---- Counts beside each option ----


def _all_but(conditions, name):
    others = [condition for key, condition in conditions.items() if key != name]
    return Q(*others) if others else None


def _count(condition):
    return Count("pk", filter=condition) if condition is not None else Count("pk")


def column_counts(base, shared, facets, columns):
    """The count beside every option of the filters on the trial's own columns, in one query.

    ``shared``: the Q of every other filter in use (words, sites...): the same for every
    count, so it goes in the WHERE once. ``facets``: {filter name: (keeps, values)} where
    ``keeps(row)`` says whether the filter as chosen keeps a row and ``values(row)`` gives
    the options a row counts towards. A count uses every filter except its own, so it is what
    ticking that option alone would give.

    The database groups the matching trials by ``columns`` (a few hundred combinations at
    most); the counting happens here. Returns ({name: {value: count}}, {name: count without
    that filter}).
    """
    rows = base.filter(*shared).order_by().values(*columns).annotate(n=Count("pk"))
    counts = {name: Counter() for name in facets}
    without = Counter(dict.fromkeys(facets, 0))
    for row in rows:
        kept = {name: keeps(row) for name, (keeps, _) in facets.items()}
        for name, (_, values) in facets.items():
            if all(ok for other, ok in kept.items() if other != name):
                without[name] += row["n"]
                for value in values(row):
                    counts[name][value] += row["n"]
    return counts, dict(without)


def totals_without(base, conditions, names):
    """{name: how many trials there would be without that filter}, in one query."""
    if not names:
        return {}
    aggregates = {
        f"without_{i}": _count(_all_but(conditions, name)) for i, name in enumerate(names)
    }
    row = base.order_by().aggregate(**aggregates)
    return {name: row[f"without_{i}"] for i, name in enumerate(names)}


def _without(base, conditions, name):
    others = _all_but(conditions, name)
    return base.filter(others) if others is not None else base


def site_counts(base, conditions):
    """{tumour site id: trials} with every filter but the site one, in one grouped query."""
    trials = _without(base, conditions, "site").order_by().values("pk")
    rows = (
        Trial.sites.through.objects.filter(trial_id__in=trials)
        .values("tumoursite_id")
        .annotate(n=Count("trial_id"))
        .order_by()
    )
    return {row["tumoursite_id"]: row["n"] for row in rows}


def region_counts(base, conditions):
    """{region: trials with a place there}, A to Z, for every region where a trial in
    ``base`` has a place, counting the trials that pass ``conditions`` (every filter but the
    region one). One query gives both the places on offer and their counts.

    Two parts, joined by UNION ALL: the count of matching trials per region, which only
    looks at the matching trials' places (the ``location_trial_region`` index covers it);
    and the regions on offer, each found by its first place of a trial in ``base`` (the
    ``location_region_trial`` index), instead of going through every place of every trial.
    About 3 times faster than one grouped query with a filtered count, on SQLite and
    PostgreSQL alike (plain SQL both speak, as below).

    The regions on offer test each place's trial with a correlated EXISTS, not ``IN (base)``:
    SQLite would build the list of every published trial first (12 ms at 10,000 trials,
    against 3 to 5 ms).
    """
    matching_sql, matching_params = (
        base.filter(*conditions.values()).order_by().values("pk").query.sql_with_params()
    )
    offered_sql, offered_params = base.order_by().values("pk").query.sql_with_params()
    places = Location._meta.db_table
    sql = f"""
        SELECT region, COUNT(DISTINCT trial_id) FROM {places}
        WHERE region <> '' AND trial_id IN ({matching_sql})
        GROUP BY region
        UNION ALL
        SELECT regions.region, 0 FROM (
            SELECT DISTINCT region FROM {places} WHERE region <> ''
        ) regions
        WHERE EXISTS (
            SELECT 1 FROM {places} place
            WHERE place.region = regions.region
            AND EXISTS (SELECT 1 FROM ({offered_sql}) offered WHERE offered.pk = place.trial_id)
        )
    """  # noqa: S608 - only a table name and Django's own compiled SQL are interpolated
    counts = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*matching_params, *offered_params])
        for region, count in cursor.fetchall():
            counts[region] = counts.get(region, 0) + count
    return dict(sorted(counts.items(), key=lambda item: (item[0].casefold(), item[0])))


def treatment_counts(base, conditions):
    """{treatment id: trials testing it or one of its drugs}, with every filter but the
    treatment one, in one grouped query.

    "It or one of its drugs" is a union of two links, which the ORM cannot group, so this is
    one small piece of SQL that SQLite and PostgreSQL both speak. UNION (not UNION ALL)
    counts a trial linked both ways once. The matching trials are a common table expression,
    used twice but worked out once: with search words, that halves the time.
    """
    trials_sql, trials_params = (
        _without(base, conditions, "treatment").order_by().values("pk").query.sql_with_params()
    )
    direct = Trial.treatments.through._meta.db_table
    by_drug = Trial.drugs.through._meta.db_table
    drug_treatments = Drug.treatments.through._meta.db_table
    sql = f"""
        WITH matching AS ({trials_sql})
        SELECT treatment_id, COUNT(*) FROM (
            SELECT trial_id, treatment_id FROM {direct}
            WHERE trial_id IN (SELECT pk FROM matching)
            UNION
            SELECT links.trial_id, uses.treatment_id
            FROM {by_drug} links INNER JOIN {drug_treatments} uses ON uses.drug_id = links.drug_id
            WHERE links.trial_id IN (SELECT pk FROM matching)
        ) pairs GROUP BY treatment_id
    """  # noqa: S608 - only table names and Django's own compiled SQL are interpolated
    with connection.cursor() as cursor:
        cursor.execute(sql, trials_params)
        return dict(cursor.fetchall())


# ---- The result list ----


@dataclass
class PageResult:
    page: object
    note: str = ""


def paginate(queryset, raw_page, per_page=PAGE_SIZE, count=None):
    """The page asked for, or a sensible one with a note saying why it is not that page.
    ``count``: how many rows ``queryset`` has, when that is known already (saves a query)."""
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: this value is used instead
    page = paginator.get_page(raw_page)
    note = ""
    if raw_page not in (None, ""):
        try:
            asked = int(str(raw_page).strip())
        except ValueError:
            asked = 0
        if asked < 1:
            note = "We did not understand the page number, so this is the first page."
        elif asked > paginator.num_pages:
            note = (
                f"There is no page {asked:,}. This is the last page (page {paginator.num_pages:,})."
            )
    return PageResult(page, note)


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(‘]?[A-Z0-9])")
# Words after which a full stop does not end the sentence.
ABBREVIATIONS = frozenset("dr mr mrs ms prof st no vs approx eg e.g ie i.e etc".split())


def first_sentence(text, limit=220):
    """The first sentence of markdown or rendered HTML, as plain text, at most ``limit``
    characters (cut at a word, with an ellipsis)."""
    lines = plain_text(text or "").splitlines()
    if not lines:
        return ""
    line = lines[0]
    sentence = line
    for end in _SENTENCE_END.finditer(line):
        words = line[: end.start()].rstrip(".!?").split()
        if words and words[-1].lstrip('("“‘').casefold() in ABBREVIATIONS:
            continue
        sentence = line[: end.end()]
        break
    sentence = sentence.strip()
    if len(sentence) > limit:
        sentence = sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return sentence


MAX_TOWNS = 6


@dataclass
class Card:
    trial: Trial
    sites: list
    towns: list
    sentence: str
    more_towns: int = 0


def cards(trials):
    """What each result shows. Uses prefetched sites and locations: no queries per trial."""
    result = []
    for trial in trials:
        towns = []
        for location in trial.locations.all():
            if location.town and location.town not in towns:
                towns.append(location.town)
        towns.sort()
        result.append(
            Card(
                trial=trial,
                sites=[site.name for site in trial.sites.all()],
                towns=towns[:MAX_TOWNS],
                more_towns=max(0, len(towns) - MAX_TOWNS),
                sentence=first_sentence(trial.summary_html or trial.summary),
            )
        )
    return result


def count_in_words(count):
    """ "No trials found", "1 trial found", "1,204 trials found"."""
    if count == 0:
        return "No trials found"
    return f"{count:,} trial{'s' if count != 1 else ''} found"
