"""The rows an import adds beside a trial: registry numbers and publications (only ever
added) and the registry's places (replaced, keeping the ones staff added or corrected)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from simple_history.utils import bulk_create_with_history

from netinfo.editorial import history_links
from trials.choices import RegistryKind
from trials.finder.search_text import refresh
from trials.models import Identifier, Location, Publication, Trial
from trials.registry.records import ParsedTrial
from trials.registry.values import CHANGE_REASON, fit

#: Registry reference types that are about the trial itself, so shown as its publications.
PUBLICATION_TYPES = {"RESULT", "DERIVED", ""}

#: The record's other registry numbers (trials.registry.numbers) as our kinds.
OTHER_ID_KINDS = {
    "EUDRACT": RegistryKind.EUDRACT,
    "EUCT": RegistryKind.EUCT,
    "ISRCTN": RegistryKind.ISRCTN,
    "IRAS": RegistryKind.IRAS,
}


def other_identifiers(parsed: ParsedTrial) -> list[tuple[str, str]]:
    """The record's EudraCT, EU CT, ISRCTN and IRAS numbers, as (our kind, number)."""
    return [
        (OTHER_ID_KINDS[kind], value) for kind, value in parsed.other_ids if kind in OTHER_ID_KINDS
    ]


@dataclass
class Plan:
    """What an import adds to a trial's registry numbers, places and publications, worked
    out before anything is written."""

    identifiers: list[Identifier]
    locations: list[Location] | None  # None: leave the registry's places as they are
    publications: list[Publication]

    @property
    def changes(self) -> list[str]:
        return [
            words
            for words, change in (
                ("registry numbers", self.identifiers),
                ("locations", self.locations is not None),
                ("publications", self.publications),
            )
            if change
        ]

    @history_links.batched()  # the trial's history entry is brought up to date once
    def write(self, trial):
        for obj in [*self.identifiers, *(self.locations or []), *self.publications]:
            obj.trial = trial
        Identifier.objects.bulk_create(self.identifiers)
        if self.identifiers:
            refresh([trial.pk])  # the finder's search text: bulk_create skips its signals
        if self.locations is not None:
            # One by one, so each removal is in the places' history.
            for place in trial.locations.filter(source=Location.Source.REGISTRY):
                place._change_reason = CHANGE_REASON
                place.delete()
            bulk_create_with_history(self.locations, Location, default_change_reason=CHANGE_REASON)
        Publication.objects.bulk_create(self.publications)
        # bulk_create sends no signals: the import's history entry keeps the rows it wrote.
        history_links.keep_current(Trial, trial.pk)


def plan_related(trial, parsed, notes) -> Plan:
    """What to add to identifiers and publications, and the locations if they differ.

    Nothing is written yet, so the notes (a number already on another trial, background
    references) are known before the trial is saved.
    """
    return Plan(
        identifiers=_new_identifiers(trial, parsed, notes),
        locations=_new_locations(trial, parsed),
        publications=_new_publications(trial, parsed, notes),
    )


def _new_identifiers(trial, parsed, notes) -> list[Identifier]:
    have = set(trial.identifiers.values_list("kind", "value")) if trial.pk else set()
    new = []
    for kind, value in [(RegistryKind.NCT, parsed.nct_id), *other_identifiers(parsed)]:
        if (kind, value) in have:
            continue
        pattern, _ = Identifier.PATTERNS[kind]
        label = RegistryKind(kind).label
        if not re.fullmatch(pattern, value):
            notes.append(f"{label} number {value} does not look valid, so it was not added.")
            continue
        other = Identifier.objects.filter(kind=kind, value=value).select_related("trial")
        other = other.first()
        if other:
            notes.append(
                f'{label} number {value} is already on another trial ("{other.trial}"), '
                "so it was not added here."
            )
            continue
        have.add((kind, value))
        new.append(Identifier(kind=kind, value=value))
    return new


def _new_locations(trial, parsed) -> list[Location] | None:
    """The registry's places, or None when the trial already has exactly these. Places
    staff added or corrected stay, and stand for the registry's place of the same
    hospital in the same town."""
    have = list(trial.locations.all()) if trial.pk else []
    staff = {_place_key(p) for p in have if p.source == Location.Source.STAFF}
    wanted = [_location(loc) for loc in parsed.locations]
    wanted = [place for place in wanted if _place_key(place) not in staff]
    registry = [p for p in have if p.source == Location.Source.REGISTRY]
    if sorted(map(_location_key, wanted)) == sorted(map(_location_key, registry)):
        return None
    return wanted


def _new_publications(trial, parsed, notes) -> list[Publication]:
    have = list(trial.publications.all()) if trial.pk else []
    pmids = {pub.pmid for pub in have if pub.pmid}
    dois = {pub.doi.lower() for pub in have if pub.doi}
    titles = {pub.title.casefold() for pub in have}
    new = []
    background = []
    for ref in parsed.publications:
        if ref.reference_type not in PUBLICATION_TYPES:
            background.append(f"PMID {ref.pmid}" if ref.pmid else ref.citation[:80])
            continue
        pub = _publication(ref)
        if (
            (pub.pmid and pub.pmid in pmids)
            or (pub.doi and pub.doi.lower() in dois)
            or (not pub.pmid and not pub.doi and pub.title.casefold() in titles)
        ):
            continue
        pmids.add(pub.pmid)
        dois.add(pub.doi.lower())
        titles.add(pub.title.casefold())
        new.append(pub)
    if background:
        notes.append(
            "Background references, not added as this trial's publications: "
            + "; ".join(background)
        )
    return new


def _location(loc) -> Location:
    name = loc.name or loc.town or loc.country or "Site not named in the registry"
    place = Location(
        name=fit(Location, "name", name),
        town=fit(Location, "town", loc.town),
        state=fit(Location, "state", loc.region),
        country=fit(Location, "country", loc.country),
        recruiting=loc.recruiting,
        latitude=loc.latitude,
        longitude=loc.longitude,
        source=Location.Source.REGISTRY,
    )
    place.fill_from_town()  # a UK nation or region, and a position if the registry gave none
    return place


def _location_key(loc: Location):
    return (
        loc.name,
        loc.town,
        loc.region,
        loc.state,
        loc.country,
        loc.recruiting,
        loc.latitude,
        loc.longitude,
    )


def _place_key(loc: Location):
    """The same hospital in the same town, however its details were written."""
    return (" ".join(loc.name.casefold().split()), " ".join(loc.town.casefold().split()))


def _publication(ref) -> Publication:
    title = ref.title or ref.citation or (f"PubMed {ref.pmid}" if ref.pmid else "")
    return Publication(
        authors=fit(Publication, "authors", ref.authors),
        title=fit(Publication, "title", title),
        journal=fit(Publication, "journal", ref.journal),
        year=ref.year,
        volume=fit(Publication, "volume", ref.volume),
        issue=fit(Publication, "issue", ref.issue),
        pages=fit(Publication, "pages", ref.pages),
        doi=fit(Publication, "doi", ref.doi),
        pmid=ref.pmid if len(ref.pmid) <= 12 else "",
        url=ref.url if len(ref.url) <= 200 else "",
    )
