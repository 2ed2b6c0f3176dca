"""Repeat visits are cheap: an unchanged page answers 304 with no body; a changed one, 200."""

import pytest


@pytest.fixture
def published_trial(make_trial):
    return make_trial("A trial of a new drug", summary="The first text.")


def test_an_unchanged_page_is_not_sent_again(client, published_trial):
    url = published_trial.get_absolute_url()
    first = client.get(url)
    assert first.status_code == 200
    assert "no-cache" in first["Cache-Control"] and "private" in first["Cache-Control"]
    again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""


def test_a_changed_page_is_sent_in_full(client, published_trial):
    url = published_trial.get_absolute_url()
    etag = client.get(url)["ETag"]
    published_trial.summary = "The new text."
    published_trial.save()
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 200
    assert b"The new text." in again.content


def test_the_health_check_and_admin_are_never_cached(admin_client, db):
    assert "no-cache" in admin_client.get("/healthz")["Cache-Control"]
    assert "ETag" not in admin_client.get("/admin/")
