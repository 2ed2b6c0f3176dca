"""Synthetic published content for benchmarks, load tests and the finder's agreement test:
tumour sites, a glossary, treatments and drugs, then trials in batches (``Generator``), each
plausible enough for every filter and search to find some. Used by ``manage.py bench``
(benchmarks/harness.py) and ``manage.py synthesize``.
"""

from __future__ import annotations

import datetime
import random

from django.db import connection

from netinfo.models import GlossaryTerm, GlossaryUse, TumourSite
from treatments.models import Drug, Treatment, TreatmentType, TreatmentUse
from trials.finder.search_text import refresh
from trials.models import Identifier, Location, Publication, Trial
from trials.places import region_for, towns

TODAY = datetime.date(2026, 11, 21)
SITES = [
    ("Small bowel (midgut)", "small-bowel"),
    ("Pancreas", "pancreas"),
    ("Lung (bronchial)", "lung"),
    ("Stomach", "stomach"),
    ("Appendix", "appendix"),
    ("Rectum", "rectum"),
    ("Colon", "colon"),
    ("Unknown primary", "unknown-primary"),
    ("Other places", "other"),
]
REGIONS = ["london", "scotland", "wales", "north-west", "south-west", "west-midlands", "yorkshire"]
WORDS = (
    "lanreotide octreotide everolimus sunitinib scan liver bowel pancreas lung tumour "
    "symptoms growth hormone injection tablets drip blood test radiotherapy surgery"
).split()
SUMMARY = (
    "This trial is for people with a neuroendocrine tumour (NET) that has spread. "
    "Half the people have a somatostatin analogue injection every 4 weeks. "
    "The other half have a placebo. The team check how the NET grows with a scan every "
    "12 weeks. It looks at circulating tumour cells and other biomarkers in the blood."
)
COMMON_FIELDS = {
    "state": "published",
    "last_reviewed": TODAY,
    "reviewed_by": "Benchmark",
    "next_review_due": TODAY + datetime.timedelta(days=365),
}


def analyse():
    """Refresh the query planner's statistics after a bulk load, as autovacuum would do on a
    live database. Without it PostgreSQL plans for empty tables (a nested loop taking 120 ms
    where a hash join takes 2)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class Generator:
    """Adds published synthetic content; call ``grow_to(n)`` with growing n."""

    def __init__(self, seed=1):
        self.random = random.Random(seed)
        self.models = {
            "site": TumourSite,
            "term": GlossaryTerm,
            "type": TreatmentType,
            "treatment": Treatment,
            "drug": Drug,
            "use": TreatmentUse,
            "trial": Trial,
            "identifier": Identifier,
            "location": Location,
            "publication": Publication,
        }
        self.trials = 0
        # Hospitals are in the UK's 60 biggest towns and cities.
        self.towns = sorted(towns().values(), key=lambda town: -town.population)[:60]

    def base(self, glossary_terms=200):
        m = self.models
        for order, (name, slug) in enumerate(SITES):
            m["site"](
                name=name,
                slug=slug,
                order=order,
                summary=f"NETs of the {name}.",
                overview=SUMMARY,
                **COMMON_FIELDS,
            ).save()
        terms = [
            m["term"](
                term=f"Term {i} {word}",
                slug=f"term-{i}",
                definition="A word, explained.",
                other_forms=f"T{i}X",
                **COMMON_FIELDS,
            )
            for i, word in enumerate(WORDS * (glossary_terms // len(WORDS) + 1))
        ][:glossary_terms]
        terms += [
            m["term"](
                term=term,
                slug=term.lower().replace(" ", "-"),
                definition=f"What {term.lower()} means, in a sentence.",
                **COMMON_FIELDS,
            )
            for term in [
                "Somatostatin analogue",
                "Placebo",
                "Biomarker",
                "Neuroendocrine tumour",
                "Circulating tumour cells",
            ]
        ]
        m["term"].objects.bulk_create(terms)
        kinds = [m["type"](name=f"Type {i}", slug=f"type-{i}", order=i) for i in range(8)]
        m["type"].objects.bulk_create(kinds)
        kinds = list(m["type"].objects.all())
        matcher = GlossaryTerm.published_matcher()
        for i in range(40):
            treatment = m["treatment"](
                name=f"Treatment {i}",
                slug=f"treatment-{i}",
                type=kinds[i % len(kinds)],
                summary="A treatment for NETs.",
                what_it_is=SUMMARY,
                how_you_have_it=SUMMARY,
                other_names=f"T{i}\nBrand {i}",
                **COMMON_FIELDS,
            )
            treatment.render(matcher)
            treatment.save()
        self.sites = list(m["site"].objects.all())
        self.treatments = list(m["treatment"].objects.all())
        m["use"].objects.bulk_create(
            m["use"](treatment=t, site=s, grade_from=1, grade_to=2 + (t.pk % 3))
            for t in self.treatments
            for s in self.random.sample(self.sites, 3)
        )
        drugs = [
            m["drug"](generic_name=f"drug {i}", slug=f"drug-{i}", brand_names=f"Brand{i}")
            for i in range(60)
        ]
        m["drug"].objects.bulk_create(drugs)
        self.drugs = list(m["drug"].objects.all())
        # Render the shared texts once: bulk_create skips save(), and the html is the same.
        sample = m["trial"](
            title="x",
            summary=SUMMARY,
            who_can_take_part=SUMMARY,
            what_happens=SUMMARY,
            results=SUMMARY,
            sources="- A source",
        )
        sample.render(matcher)
        self.rendered = {name: getattr(sample, name) for name in sample.rendered_fields()}

    @staticmethod
    def typical(number):
        """Every 50th trial is an open phase 2 lanreotide trial for pancreatic NETs, so the
        search with filters and words finds some at every size (and runs the same queries)."""
        return number % 50 == 0

    def word(self, number):
        return "lanreotide" if self.typical(number) else self.random.choice(WORDS)

    def grow_to(self, total, batch=1000):
        m = self.models
        Trial = m["trial"]
        statuses = ["open", "open", "opening_soon", "closed", "results", "stopped"]
        phases = ["1", "2", "2", "3", "na", "1_2"]
        while self.trials < total:
            start = self.trials
            count = min(batch, total - start)
            trials = [
                Trial(
                    title=f"A trial of {self.word(start + i)} for NETs number {start + i}",
                    acronym=f"BENCH-{start + i}",
                    slug=f"bench-{start + i}",
                    official_title="An official title " + " ".join(self.random.sample(WORDS, 6)),
                    status="open" if self.typical(start + i) else self.random.choice(statuses),
                    phase="2" if self.typical(start + i) else self.random.choice(phases),
                    accepts_g1=(start + i) % 2 == 0,
                    accepts_g2=True,
                    accepts_g3=(start + i) % 5 == 0,
                    summary=SUMMARY,
                    who_can_take_part=SUMMARY,
                    what_happens=SUMMARY,
                    results=SUMMARY,
                    sources="- A source",
                    recruitment_start=TODAY - datetime.timedelta(days=(start + i) % 2000),
                    # Some checks are too old to confirm an open status (trials.status).
                    registry_checked=TODAY
                    if self.typical(start + i)
                    else TODAY - datetime.timedelta(days=(start + i) % 120),
                    sponsor="A university",
                    chief_investigator="Professor A Person",
                    **self.rendered,
                    **COMMON_FIELDS,
                )
                for i in range(count)
            ]
            Trial.objects.bulk_create(trials)
            created = list(Trial.objects.filter(slug__in=[t.slug for t in trials]))
            for first in range(0, len(created), 500):  # what save() would have written
                GlossaryUse.record(Trial, created[first : first + 500])
            site_links, treatment_links, drug_links = [], [], []
            identifiers, locations, publications = [], [], []
            for trial in created:
                sites = self.random.sample(self.sites, 2)
                if (
                    self.typical(int(trial.slug.removeprefix("bench-")))
                    and self.sites[1] not in sites
                ):
                    sites[0] = self.sites[1]  # pancreas
                for site in sites:
                    site_links.append(Trial.sites.through(trial=trial, tumoursite=site))
                for treatment in self.random.sample(self.treatments, 2):
                    treatment_links.append(
                        Trial.treatments.through(trial=trial, treatment=treatment)
                    )
                drug_links.append(
                    Trial.drugs.through(trial=trial, drug=self.random.choice(self.drugs))
                )
                identifiers.append(
                    m["identifier"](trial=trial, kind="nct", value=f"NCT{90000000 + trial.pk:08d}")
                )
                for j in range(3):
                    town = self.random.choice(self.towns)
                    locations.append(
                        m["location"](
                            trial=trial,
                            name=f"Hospital {j}",
                            town=town.name,
                            region=region_for(town.name) or self.random.choice(REGIONS),
                            latitude=town.latitude,
                            longitude=town.longitude,
                            recruiting=trial.status == "open" and j != 2,
                            source="registry",
                        )
                    )
                publications.append(
                    m["publication"](
                        trial=trial,
                        authors="A Author and others",
                        title="Results",
                        journal="J",
                        year=2020,
                    )
                )
            Trial.sites.through.objects.bulk_create(site_links)
            Trial.treatments.through.objects.bulk_create(treatment_links)
            Trial.drugs.through.objects.bulk_create(drug_links)
            m["identifier"].objects.bulk_create(identifiers)
            m["location"].objects.bulk_create(locations)
            m["publication"].objects.bulk_create(publications)
            # bulk_create skips the signals that keep the finder's search text in step.
            refresh([t.pk for t in created])
            self.trials += count
        analyse()
