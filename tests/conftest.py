"""Shared test set-up: make_* factories for every kind of content, and staff users."""

import contextlib
import os
import shutil
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.test.utils import override_settings

from tests import factories

# Playwright's sync API runs an event loop in the test thread; the ORM must still work there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session", autouse=True)
def _a_redis_database_per_test_process():
    """Each test clears the cache, so with a Redis cache (the PostgreSQL run) each test process
    of a parallel run (pytest -n, pytest-xdist's worker gw0, gw1...) keeps its own Redis
    database: the URL's number plus one plus the worker's."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    location = settings.CACHES["default"].get("LOCATION", "")
    if not worker.startswith("gw") or not location.startswith(("redis://", "rediss://")):
        yield
        return
    url = urlsplit(location)
    number = int(url.path.strip("/") or 0) + 1 + int(worker[2:])
    own = {**settings.CACHES["default"], "LOCATION": url._replace(path=f"/{number}").geturl()}
    with override_settings(CACHES={**settings.CACHES, "default": own}):
        yield


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


# ---- A site database for a test's own processes ------------------------------------------


@pytest.fixture(scope="session")
def _migrated_site_file(tmp_path_factory):
    """A SQLite file migrated as `make run` migrates one, made once per test process."""
    path = tmp_path_factory.mktemp("migrated") / "site.sqlite3"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{path}", "PYTHONWARNINGS": "ignore"},
        check=True,
        timeout=120,
    )
    return path


@pytest.fixture
def site_database_file(_migrated_site_file, tmp_path):
    """A migrated SQLite site database of this test's own, for the processes it starts (as a
    running site has): a copy of one migrated once, so each test need not migrate again."""
    path = tmp_path / "site.sqlite3"
    shutil.copyfile(_migrated_site_file, path)
    return path


# ---- A set-up shared by a module's tests ---------------------------------------------------


@contextlib.contextmanager
def rolled_back(django_db_blocker):
    """A transaction open for the block and rolled back at its end, as Django's
    TestCase.setUpTestData does: what is written in it (inside ``django_db_blocker.unblock()``)
    is there for each test in the block, and each test still runs in a savepoint of its own,
    so what one test changes is gone before the next."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def module_transaction(django_db_setup, django_db_blocker):
    """A transaction for a whole test module (``rolled_back``). A module's set-up writes in it
    inside ``module_transaction.unblock()``; a module binds the set-up with
    ``tests.shared.shared_by_module``::

        _world, world = shared_by_module(make_world, "world")
    """
    with rolled_back(django_db_blocker):
        yield django_db_blocker


def pytest_collection_modifyitems(items):
    """In a parallel run (pytest -n --dist loadgroup), a module whose tests share a set-up made
    once for the module (``module_transaction``) runs in one process, so it is made once."""
    for item in items:
        if "module_transaction" in item.fixturenames and not any(item.iter_markers("xdist_group")):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))


# ---- Factories (tests/factories.py): each asks for the database ----------------------------


@pytest.fixture
def make_site(db):
    return factories.make_site


@pytest.fixture
def make_term(db):
    return factories.make_term


@pytest.fixture
def make_page(db):
    return factories.make_page


@pytest.fixture
def make_treatment(db):
    return factories.make_treatment


@pytest.fixture
def make_use(db):
    return factories.make_use


@pytest.fixture
def make_drug(db):
    return factories.make_drug


@pytest.fixture
def make_trial(db):
    return factories.make_trial
