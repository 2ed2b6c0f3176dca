"""The whole site's search, without a request: what was typed, read with the trial finder's
word rules (``trials.finder.words``: UK and US spellings, singulars, older and newer names, the
glossary's other forms, registry numbers), looked for in what each app offers.

Each app says what can be found in it through a small module it owns
(``netinfo.site_search``, ``treatments.site_search``, ``trials.site_search``); this module
only matches and ranks. The items of the first three (a few hundred) are read once per
content version in each process, as plain words, like the finder index; trials are searched
in the finder index itself. So a search costs the same few queries however much there is.
"""

import threading
from dataclasses import dataclass, field

from netinfo import site_search as netinfo_search
from netinfo.content_version import content_version
from treatments import site_search as treatments_search
from trials import site_search as trials_search
from trials.finder.words import MAX_QUERY_LENGTH, MIN_SUBSTRING_LENGTH, plain_words

# The order of the groups on the page, among equally good ones; trials come last.
KINDS = ("Treatments", "Tumour sites", "Glossary", "Pages")
MAX_PER_KIND = 8


@dataclass(frozen=True)
class Entry:
    item: netinfo_search.SearchItem
    names: str  # plain words of its names, one name a line, a space either side of each
    text: str  # plain words of the rest
    name_forms: frozenset  # each name as plain words, for an exact search


def _document(texts):
    return "\n".join(f" {plain_words(text)} " for text in texts if text and text.strip())


def _entry(item):
    return Entry(
        item,
        _document(item.names),
        _document(item.text.splitlines()),
        frozenset(filter(None, map(plain_words, item.names))),
    )


_entries = (None, [])
_building = threading.Lock()


def entries():
    """Everything but trials, as of the current content version (remembered per process)."""
    global _entries
    version = tuple(content_version())
    if _entries[0] != version:
        with _building:
            if _entries[0] != version:
                items = [*treatments_search.items(), *netinfo_search.items()]
                _entries = (version, [_entry(item) for item in items])
    return _entries[1]


def forget():
    global _entries
    _entries = (None, [])


def _has(document, words):
    """``words`` (plain words) in ``document``: anywhere, or as whole words when short."""
    if len(words) < MIN_SUBSTRING_LENGTH:
        return f" {words} " in document or f" {words}s " in document
    return words in document


def _slot_in(slot, document):
    return any(_has(document, words) for words in filter(None, map(plain_words, slot.alternatives)))


@dataclass
class Group:
    kind: str
    items: list


@dataclass
class Result:
    text: str = ""
    groups: list = field(default_factory=list)
    definition: object = None  # the glossary term typed exactly (a SearchItem)
    trials: trials_search.TrialHits = field(default_factory=trials_search.TrialHits)
    redirect_url: str = ""
    notes: list = field(default_factory=list)

    @property
    def count(self):
        return sum(len(group.items) for group in self.groups) + self.trials.count


def search(text):
    """What the site has for ``text``, grouped by kind."""
    text = " ".join(str(text or "").split())
    result = Result(text=text[:MAX_QUERY_LENGTH])
    if not text:
        return result
    if len(text) > MAX_QUERY_LENGTH:
        result.notes.append(
            f"What you typed was very long, so we used only the first {MAX_QUERY_LENGTH} "
            "characters."
        )
    result.trials = trials_search.find(text)
    if result.trials.only_trial_url:
        result.redirect_url = result.trials.only_trial_url
        return result

    query = result.trials.query
    words = [slot for slot in query.slots if not slot.identifiers]
    typed = plain_words(text[:MAX_QUERY_LENGTH])
    found = {kind: [] for kind in KINDS}
    for entry in entries():
        if typed and typed in entry.name_forms and entry.item.definition_html:
            result.definition = result.definition or entry.item
        if not words:
            continue
        if all(_slot_in(slot, entry.names) for slot in words):
            rank = 0 if typed in entry.name_forms else 1
        elif all(_slot_in(slot, entry.names + entry.text) for slot in words):
            rank = 2
        else:
            continue
        found[entry.item.kind].append((rank, entry.item.title.casefold(), entry.item))
    # Kinds with an item named as typed come first, then those matching in names only.
    best = {kind: min(hit[0] for hit in hits) for kind, hits in found.items() if hits}
    for kind in sorted(best, key=lambda kind: (best[kind], KINDS.index(kind))):
        ranked = [item for *_, item in sorted(found[kind], key=lambda hit: hit[:2])]
        result.groups.append(Group(kind, ranked[:MAX_PER_KIND]))
    if query.slots and not words and not result.trials.count:
        result.notes.append("We could not find a trial with that registry number.")
    return result
