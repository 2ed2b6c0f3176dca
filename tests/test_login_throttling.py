"""Failed logins are limited per account and per client, with a clear message, and an
administrator can unlock an account before the pause ends."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pytest_django.asserts import assertContains

from tests.editorial import staff

LOGIN = "/admin/login/"


def _log_in(client, username, password, address="10.0.0.1"):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=address
    )


def _logged_in(client):
    return client.get("/admin/").status_code == 200


@pytest.fixture
def edna(db):
    return staff("edna", "Content editor")


def test_five_wrong_passwords_pause_the_account_even_for_the_right_one(client, edna):
    for _ in range(4):
        response = _log_in(client, "edna", "wrong")
        assert response.status_code == 200  # the login form again, with Django's message
        assertContains(response, "Please enter the correct username and password")
    assert _log_in(client, "edna", "wrong").status_code == 429  # the fifth

    response = _log_in(client, "edna", "pw")

    assert response.status_code == 429
    assertContains(response, "too many wrong passwords for this account", status_code=429)
    assertContains(response, "Try again in 15 minutes", status_code=429)
    assertContains(response, "ask an administrator", status_code=429)
    assert not _logged_in(client)


def test_failures_from_many_addresses_still_pause_the_account(client, edna):
    for number in range(5):
        _log_in(client, "edna", "wrong", address=f"10.0.1.{number}")
    assert _log_in(client, "edna", "pw", address="10.0.2.1").status_code == 429


def test_failures_over_many_accounts_pause_that_client_but_not_others(client, edna):
    for number in range(5):
        _log_in(client, f"guess{number}", "wrong", address="10.0.3.1")
    assert _log_in(client, "edna", "pw", address="10.0.3.1").status_code == 429

    elsewhere = Client()
    assert _log_in(elsewhere, "edna", "pw", address="10.0.4.1").status_code == 302
    assert _logged_in(elsewhere)


def test_a_right_password_before_the_limit_clears_the_count(client, edna):
    for _ in range(4):
        _log_in(client, "edna", "wrong")
    assert _log_in(client, "edna", "pw").status_code == 302
    client.logout()
    for _ in range(4):
        _log_in(client, "edna", "wrong")
    assert _log_in(client, "edna", "pw").status_code == 302


def test_an_administrator_unlocks_a_paused_account_in_the_admin(client, edna):
    for _ in range(5):
        _log_in(client, "edna", "wrong")
    assert _log_in(client, "edna", "pw").status_code == 429

    administrator = Client()
    administrator.force_login(User.objects.create_superuser("root", password="pw"))
    attempts = administrator.get("/admin/axes/accessattempt/")
    assertContains(attempts, "edna")
    ids = [str(pk) for pk in edna_attempts()]
    response = administrator.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert response.status_code == 302
    assert not edna_attempts()

    assert _log_in(client, "edna", "pw").status_code == 302
    assert _logged_in(client)


def edna_attempts():
    from axes.models import AccessAttempt

    return list(AccessAttempt.objects.filter(username="edna").values_list("pk", flat=True))


def test_editors_do_not_see_or_change_the_login_records(client, edna):
    client.force_login(edna)
    assert client.get("/admin/axes/accessattempt/").status_code == 403


def test_behind_a_proxy_each_visitor_is_counted_by_their_own_address(client, edna, settings):
    """Every request comes from the proxy (REMOTE_ADDR); it appends the visitor's address to
    X-Forwarded-For. A visitor cannot choose theirs by sending the header themselves."""
    settings.PROXY_COUNT = 1

    def through_proxy(visitor, username, password, sent=""):
        forwarded = f"{sent}, {visitor}" if sent else visitor
        return client.post(
            LOGIN,
            {"username": username, "password": password},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    for number in range(5):  # one visitor guessing, with a made-up address each time
        through_proxy("203.0.113.1", f"guess{number}", "wrong", sent=f"198.51.100.{number}")
    assert through_proxy("203.0.113.1", "edna", "pw").status_code == 429

    other = Client()
    response = other.post(
        LOGIN,
        {"username": "edna", "password": "pw"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.2",
    )
    assert response.status_code == 302
