"""The real starting content (fixtures/), loaded once per test module (loaded with
``pytest_plugins``): in a transaction rolled back at the end of the module, as Django's
TestCase.setUpTestData does, so each test still runs in a savepoint of its own.
``content`` gives what load_content printed."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def _loaded_content(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        out = io.StringIO()
        call_command("load_content", stdout=out)
    yield out.getvalue()
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def content(_loaded_content, db):
    return _loaded_content
