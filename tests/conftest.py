"""Shared test set-up: make_* factories for every kind of content, and staff users."""

import datetime
import itertools
import os

import pytest
from django.utils.text import slugify

# Playwright's sync API runs an event loop in the test thread; the ORM must still work there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _fast_tests(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_registry_on_the_internet(settings):
    # Tests never ask the real ClinicalTrials.gov: by default its address is a closed port
    # here, and tests/fake_registry.py stands in for it where a test needs answers.
    from tests.fake_registry import closed_port_url

    settings.CTGOV_API_URL = closed_port_url()
    settings.CTGOV_RETRIES = 1
    settings.CTGOV_BACKOFF = 0
    settings.CTGOV_SYNC_DELAY = 0
    settings.CTGOV_TIMEOUT = 2


@pytest.fixture(autouse=True)
def _empty_cache():
    # The PostgreSQL run shares one Redis cache across the whole suite: start each test clean.
    # The finder index is per process: a test's rolled-back content can share a version.
    from django.core.cache import cache

    from netinfo.caching import versioned
    from trials.finder import index as finder_index

    cache.clear()
    finder_index.forget()
    versioned.forget()


def _unique(text):
    return f"{slugify(text)[:90]}-{next(_counter)}"


@pytest.fixture
def make_site(db):
    from netinfo.models import TumourSite

    def make(name="Pancreas", state="published", **fields):
        fields.setdefault("slug", slugify(name))
        return TumourSite.objects.create(name=name, state=state, **fields)

    return make


@pytest.fixture
def make_term(db):
    from netinfo.models import GlossaryTerm

    def make(
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

    return make


@pytest.fixture
def make_page(db):
    from netinfo.models import Page

    def make(title="About NETs", state="published", **fields):
        fields.setdefault("slug", slugify(title))
        return Page.objects.create(title=title, state=state, **fields)

    return make


@pytest.fixture
def make_treatment(db):
    from treatments.models import Treatment, TreatmentType

    def make(name="Everolimus", type_name="Targeted therapy", state="published", **fields):
        kind, _ = TreatmentType.objects.get_or_create(
            name=type_name, defaults={"slug": slugify(type_name)}
        )
        fields.setdefault("slug", slugify(name))
        fields.setdefault("summary", f"{name} is a treatment for NETs.")
        return Treatment.objects.create(name=name, type=kind, state=state, **fields)

    return make


@pytest.fixture
def make_use(db):
    from treatments.models import Grade, TreatmentUse

    def make(treatment, site, grades=("g1", "g2"), use="usual", note=""):
        return TreatmentUse.objects.create(
            treatment=treatment,
            site=site,
            grade_from=Grade.from_slug(grades[0]),
            grade_to=Grade.from_slug(grades[-1]),
            use=use,
            note=note,
        )

    return make


@pytest.fixture
def make_trial(db):
    from trials.models import Identifier, Trial

    def make(title="A trial", state="published", sites=(), treatments=(), identifiers=(), **fields):
        fields.setdefault("slug", _unique(fields.get("acronym") or title))
        # Checked with a registry today, so an open trial is shown as open; pass
        # registry_checked=None (or an old date) for a status nobody has confirmed.
        fields.setdefault("registry_checked", datetime.date.today())
        trial = Trial.objects.create(title=title, state=state, **fields)
        trial.sites.set(sites)
        trial.treatments.set(treatments)
        for kind, value in identifiers:
            Identifier.objects.create(trial=trial, kind=kind, value=value)
        return trial

    return make
