"""The tests of the real starting content (fixtures/). It is loaded once for the whole
package, in a transaction rolled back at its end (``rolled_back`` in tests/conftest.py), and
each test still runs in a savepoint of its own, so what one test changes is gone before the
next. In a parallel run the package's tests share one process, so it is loaded once.
Tests that need a database without the starting content belong outside this package."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.conftest import rolled_back


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.xdist_group("starting_content"))


@pytest.fixture(scope="package", autouse=True)
def _starting_content(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker):
        out = io.StringIO()
        with django_db_blocker.unblock():
            call_command("load_content", stdout=out)
        yield out.getvalue()


@pytest.fixture
def content(_starting_content, db):
    """What load_content printed; the content is in the database for every test here."""
    return _starting_content
