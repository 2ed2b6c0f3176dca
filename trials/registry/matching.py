"""Which of our tumour sites, drugs and treatments a record names: its conditions and
keywords against each site's registry keywords, its interventions against drug and
treatment names."""

from __future__ import annotations

import re

from netinfo.models import TumourSite
from treatments.models import Drug, Treatment
from trials.registry.records import ParsedTrial


class Matcher:
    """Matches records against our names, read from the database once for a whole import."""

    def __init__(self):
        self._sites = None
        self._drugs = None
        self._treatments = None

    def matches(self, parsed: ParsedTrial, notes: list[str]):
        """The tumour sites, drugs and treatments the record names; unmatched names go to
        ``notes``."""
        self._load()
        sites = set()
        for kind, words in (("Conditions", parsed.conditions), ("Keywords", parsed.keywords)):
            unmatched = []
            for word in words:
                found = {
                    site for site, keys in self._sites if any(_mentions(word, k) for k in keys)
                }
                sites |= found
                if not found:
                    unmatched.append(word)
            if unmatched:
                notes.append(f"{kind} not matched to a tumour site: {'; '.join(unmatched)}")

        drugs, treatments, unmatched = set(), set(), []
        for name, other_names in parsed.interventions:
            names = [name, *other_names]
            found_drugs = {d for d, keys in self._drugs if _names_match(names, keys)}
            found_treatments = {t for t, keys in self._treatments if _names_match(names, keys)}
            drugs |= found_drugs
            treatments |= found_treatments
            if not found_drugs and not found_treatments:
                unmatched.append(name)
        if unmatched:
            notes.append(
                f"Interventions not matched to a drug or treatment: {'; '.join(unmatched)}"
            )
        key = lambda obj: obj.pk  # noqa: E731
        return sorted(sites, key=key), sorted(drugs, key=key), sorted(treatments, key=key)

    def _load(self):
        """Our tumour sites, drugs and treatments with the names they go by, read once."""
        if self._sites is not None:
            return
        self._sites = [
            (site, [kw for kw in map(str.strip, site.registry_keywords.splitlines()) if kw])
            for site in TumourSite.objects.all()
        ]
        self._drugs = [
            (drug, [drug.generic_name, *drug.brand_names_list]) for drug in Drug.objects.all()
        ]
        self._treatments = [
            (treatment, [treatment.name, *treatment.other_names_list])
            for treatment in Treatment.objects.all()
        ]


def _mentions(text: str, keyword: str) -> bool:
    """Whether ``keyword`` appears in ``text`` as whole words, ignoring case."""
    return re.search(rf"(?<!\w){re.escape(keyword)}(?!\w)", text, re.IGNORECASE) is not None


def _normal(name: str) -> str:
    return " ".join(name.split()).casefold()


def _names_match(names: list[str], keys: list[str]) -> bool:
    """An intervention matches a drug or treatment when one of its names is one of ours, or
    contains one of ours of 4 letters or more as whole words ("Lanreotide 120 mg")."""
    names = [_normal(n) for n in names if n.strip()]
    for key in (_normal(k) for k in keys if k.strip()):
        for name in names:
            if name == key or (len(key) >= 4 and _mentions(name, key)):
                return True
    return False
