"""The real starting content (fixtures/), loaded once per test module (loaded with
``pytest_plugins``): in the module's transaction (``module_transaction`` in conftest.py),
so each test still runs in a savepoint of its own.
``content`` gives what load_content printed."""

import io

import pytest
from django.core.management import call_command


@pytest.fixture(scope="module")
def _loaded_content(module_transaction):
    with module_transaction.unblock():
        out = io.StringIO()
        call_command("load_content", stdout=out)
    return out.getvalue()


@pytest.fixture
def content(_loaded_content, db):
    return _loaded_content
