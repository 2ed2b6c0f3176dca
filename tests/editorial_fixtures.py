"""Fixtures for the editorial workflow tests (loaded with ``pytest_plugins``): staff in each
role, and a maker for any kind of content record."""

import pytest

from tests.editorial import CONTENT_KINDS, staff


@pytest.fixture
def editor(db):
    return staff("edna", "Content editor")


@pytest.fixture
def approver(db):
    return staff("alan", "Content approver")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def approver_client(approver):
    from django.test import Client

    other = Client()
    other.force_login(approver)
    return other


@pytest.fixture
def make_record(request, db):
    """make_record(kind, **fields) for any content kind in CONTENT_KINDS.

    Asks for ``db`` itself: the factories it calls get the database only when first called,
    inside the test, which after a browser test's live server leaked a PostgreSQL connection.
    """

    def make(kind, **fields):
        factory, *_ = next(k for k in CONTENT_KINDS if k[2] == kind)
        return request.getfixturevalue(factory)(**fields)

    return make
