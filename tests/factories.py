"""Factories for every kind of content, as plain functions: the ``make_*`` fixtures in
conftest.py hand them to a test, and a set-up shared by a module's tests (``shared_setup``
in conftest.py) calls them directly.

Each record is saved the way the site saves it (``save()`` renders it, keeps its history and
its search words); the links and rows a trial is made with are written the way the importer
writes them, in bulk, with what depends on them brought up to date once rather than once
per row.
"""

import datetime
import itertools

from django.utils.text import slugify

from netinfo.editorial import history_links
from netinfo.models import GlossaryTerm, Page, TumourSite
from treatments.models import Drug, Grade, Treatment, TreatmentType, TreatmentUse
from trials.finder.search_text import refresh
from trials.models import Identifier, Trial

_counter = itertools.count(1)


def unique_slug(text):
    return f"{slugify(text)[:90]}-{next(_counter)}"


def make_site(name="Pancreas", state="published", **fields):
    fields.setdefault("slug", slugify(name))
    return TumourSite.objects.create(name=name, state=state, **fields)


def make_term(
    term="Biomarker",
    definition="A sign in the body that can be measured.",
    state="published",
    forms=(),
    **fields,
):
    fields.setdefault("slug", slugify(term))
    return GlossaryTerm.objects.create(
        term=term, definition=definition, state=state, other_forms="\n".join(forms), **fields
    )


def make_page(title="About NETs", state="published", **fields):
    fields.setdefault("slug", slugify(title))
    return Page.objects.create(title=title, state=state, **fields)


def make_treatment(name="Everolimus", type_name="Targeted therapy", state="published", **fields):
    kind, _ = TreatmentType.objects.get_or_create(
        name=type_name, defaults={"slug": slugify(type_name)}
    )
    fields.setdefault("slug", slugify(name))
    fields.setdefault("summary", f"{name} is a treatment for NETs.")
    return Treatment.objects.create(name=name, type=kind, state=state, **fields)


def make_use(treatment, site, grades=("g1", "g2"), use="usual", note=""):
    return TreatmentUse.objects.create(
        treatment=treatment,
        site=site,
        grade_from=Grade.from_slug(grades[0]),
        grade_to=Grade.from_slug(grades[-1]),
        use=use,
        note=note,
    )


def make_drug(generic_name, brand_names="", treatments=()):
    drug = Drug.objects.create(
        generic_name=generic_name, slug=slugify(generic_name), brand_names=brand_names
    )
    drug.treatments.set(treatments)
    return drug


def make_trial(
    title="A trial", state="published", sites=(), treatments=(), identifiers=(), **fields
):
    fields.setdefault("slug", unique_slug(fields.get("acronym") or title))
    # Checked with a registry today, so an open trial is shown as open; pass
    # registry_checked=None (or an old date) for a status nobody has confirmed.
    fields.setdefault("registry_checked", datetime.date.today())
    trial = Trial.objects.create(title=title, state=state, **fields)
    if sites or treatments or identifiers:
        # In bulk, as the importer writes them (bulk_create sends no signals): then the
        # search text and the links beside the history entry, once each.
        Trial.sites.through.objects.bulk_create(
            Trial.sites.through(trial=trial, tumoursite=site) for site in dict.fromkeys(sites)
        )
        Trial.treatments.through.objects.bulk_create(
            Trial.treatments.through(trial=trial, treatment=treatment)
            for treatment in dict.fromkeys(treatments)
        )
        Identifier.objects.bulk_create(
            Identifier(trial=trial, kind=kind, value=value) for kind, value in identifiers
        )
        refresh([trial.pk])
        history_links.keep_current(Trial, trial.pk)
    return trial
