"""'Was this page helpful?': on every page, works without JavaScript, CSRF-protected,
rate-limited per client without storing who they are, and shown to staff per page."""

import datetime
import json
import os
import subprocess
import sys

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains, assertRedirects

from netinfo import feedback
from netinfo.feedback import Feedback
from tests.html import soup, text_of

pytest_plugins = ["tests.editorial_fixtures"]


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def about(make_page):
    return make_page("About NETs", body="NETs are rare.")


SITE = "http://testserver"


def send(client, path="/about-nets/", helpful="yes", comment="", origin=SITE, **extra):
    """Post an answer as a browser does from one of the site's pages (it sends Origin)."""
    if origin:
        extra["HTTP_ORIGIN"] = origin
    return client.post(
        "/feedback/", {"path": path, "helpful": helpful, "comment": comment}, **extra
    )


def test_every_page_type_has_the_form_about_itself(
    client, about, make_site, make_term, make_treatment, make_trial
):
    urls = [
        "/",
        "/trials/",
        make_trial("A trial").get_absolute_url(),
        "/treatments/",
        make_treatment("Everolimus").get_absolute_url(),
        make_site("Pancreas").get_absolute_url(),
        "/glossary/",
        make_term("Biomarker").get_absolute_url(),
        about.get_absolute_url(),
    ]
    for url in urls:
        form = soup(client.get(url)).find("form", class_="app-feedback")
        assert form is not None, url
        assert form["method"] == "post" and form["action"] == "/feedback/", url
        # Nothing of one visitor's: the page is the same for everyone (no CSRF token).
        assert not form.find("input", attrs={"name": "csrfmiddlewaretoken"}), url
        assert form.find("input", attrs={"name": "path"})["value"] == url
        assert "do not include your name" in text_of(form), url


def test_an_answer_is_stored_with_the_page_and_thanked_without_javascript(client, about):
    response = send(client, helpful="no", comment="  Too many long words.  ")
    assertRedirects(response, "/feedback/thanks/?from=%2Fabout-nets%2F")

    answer = Feedback.objects.get()
    assert (answer.path, answer.helpful, answer.comment) == (
        "/about-nets/",
        False,
        "Too many long words.",
    )
    thanks = soup(client.get(response.url))
    assert text_of(thanks.h1) == "Thank you for your feedback"
    assert thanks.find("a", href="/about-nets/")
    assert not thanks.find("form", class_="app-feedback")  # not asked again on this page


def test_only_the_path_of_the_page_is_kept(client, about):
    send(client, path="/about-nets/?utm=x#section")
    assert Feedback.objects.get().path == "/about-nets/"


def test_an_answer_sent_from_another_site_is_refused_with_a_clear_page(about):
    browser = Client(enforce_csrf_checks=True)
    for headers in (
        {"origin": "https://evil.example"},
        {"origin": "null"},
        {"origin": "", "HTTP_REFERER": "https://evil.example/form.html"},
        {"origin": ""},  # neither: not a browser on one of our pages
    ):
        response = send(browser, **headers)
        assert response.status_code == 403, headers
        assert "Feedback not sent" in text_of(soup(response).h1)
    assert not Feedback.objects.exists()


def test_an_answer_from_our_own_page_needs_no_token(about):
    browser = Client(enforce_csrf_checks=True)
    assert send(browser).status_code == 302
    # A browser that sends no Origin but says which of our pages it came from.
    referer = {"origin": "", "HTTP_REFERER": f"{SITE}/about-nets/"}
    assert send(browser, **referer).status_code == 302
    assert Feedback.objects.count() == 2


def test_a_robot_that_fills_the_hidden_box_is_thanked_but_not_stored(client, about):
    form = soup(client.get("/about-nets/")).find("form", class_="app-feedback")
    hidden = form.find("input", attrs={"name": "website"})
    assert hidden["tabindex"] == "-1" and hidden.find_parent(attrs={"aria-hidden": "true"})
    response = client.post(
        "/feedback/",
        {"path": "/about-nets/", "helpful": "yes", "website": "http://spam.example"},
        HTTP_ORIGIN=SITE,
    )
    assert response.status_code == 302
    assert not Feedback.objects.exists()


def test_a_missing_answer_shows_the_form_again_with_the_comment_kept(client, about):
    response = send(client, helpful="", comment="My words")
    assert response.status_code == 400
    html = soup(response)
    assert text_of(html.title).startswith("Error:")
    assert "Choose yes or no." in text_of(html.find(class_="app-error-summary"))
    form = html.find("form", class_="app-feedback")
    assert form.find("textarea").get_text() == "My words"
    assert form.find("input", attrs={"name": "path"})["value"] == "/about-nets/"
    assert len(html.find_all("h1")) == 1
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("path", ["https://evil.example/", "//evil.example/", "about-nets"])
def test_answers_about_other_sites_are_refused(client, db, path):
    response = send(client, path=path)
    assert response.status_code == 400
    assert soup(response).find("a", string="Go back to the page you were reading")["href"] == "/"
    assert not Feedback.objects.exists()


def test_the_thank_you_page_never_links_off_the_site(client, db):
    html = soup(client.get("/feedback/thanks/?from=https://evil.example/"))
    assert html.find("a", string="Go back to the page you were reading")["href"] == "/"


def test_answers_are_rate_limited_per_client(client, about, settings):
    settings.FEEDBACK_RATE_PER_HOUR = 2
    assert send(client).status_code == 302
    assert send(client).status_code == 302
    refused = send(client, comment="Third")
    assert refused.status_code == 429
    assertContains(refused, "Feedback not sent", status_code=429)
    assert Feedback.objects.count() == 2

    other = send(client, REMOTE_ADDR="198.51.100.7")  # someone else is not affected
    assert other.status_code == 302
    assert Feedback.objects.count() == 3


def test_the_rate_limit_knows_a_client_only_by_a_keyed_hash(client, about):
    key = feedback.client_key("203.0.113.5")
    assert "203.0.113.5" not in key
    assert key == feedback.client_key("203.0.113.5")
    assert key != feedback.client_key("203.0.113.6")
    send(client, REMOTE_ADDR="203.0.113.5")
    assert Feedback.objects.get().client == key


def test_who_sent_an_answer_is_forgotten_after_an_hour(client, about, settings):
    settings.FEEDBACK_RATE_PER_HOUR = 1
    assert send(client).status_code == 302
    assert send(client).status_code == 429
    Feedback.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=61))

    assert send(client).status_code == 302

    old, new = Feedback.objects.order_by("created_at")
    assert old.client == "" and new.client == feedback.client_key("127.0.0.1")


def test_get_is_not_allowed(client, db):
    assert client.get("/feedback/").status_code == 405


# ---- Staff see it -------------------------------------------------------------------------


@pytest.fixture
def answers(db):
    for path, helpful, comment in [
        ("/about-nets/", True, ""),
        ("/about-nets/", False, "Too long."),
        ("/about-nets/", False, ""),
        ("/glossary/", True, "Very clear, thank you."),
    ]:
        Feedback.objects.create(path=path, helpful=helpful, comment=comment)


def test_staff_see_counts_per_page_and_the_comments(editor_client, answers):
    html = soup(editor_client.get("/admin/netinfo/feedback/"))
    summary = {
        text_of(row.th): [text_of(td) for td in row.find_all("td")]
        for row in html.select("#feedback-summary tbody tr")
    }
    assert summary == {"/about-nets/": ["1", "2", "1"], "/glossary/": ["1", "0", "1"]}
    listed = text_of(html.find(id="result_list"))
    assert "Too long." in listed and "Very clear, thank you." in listed


def test_the_counts_follow_the_list_filters(editor_client, answers):
    html = soup(editor_client.get("/admin/netinfo/feedback/?path=%2Fglossary%2F"))
    rows = [text_of(row.th) for row in html.select("#feedback-summary tbody tr")]
    assert rows == ["/glossary/"]


def test_nobody_adds_or_edits_feedback_and_only_approvers_delete_it(
    editor_client, approver_client, answers
):
    answer = Feedback.objects.first()
    for staff_client in (editor_client, approver_client):
        assert staff_client.get("/admin/netinfo/feedback/add/").status_code == 403
        page = staff_client.get(f"/admin/netinfo/feedback/{answer.pk}/change/")
        assert page.status_code == 200
        assert not soup(page).find("textarea", attrs={"name": "comment"})
    delete_url = f"/admin/netinfo/feedback/{answer.pk}/delete/"
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert approver_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Feedback.objects.filter(pk=answer.pk).exists()


def test_the_public_cannot_see_feedback(client, answers):
    response = client.get("/admin/netinfo/feedback/")
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_each_comment_links_to_its_pages_record_in_the_admin(editor_client, make_page):
    page = make_page("About NETs", slug="about-nets")
    Feedback.objects.create(path="/about-nets/", helpful=False, comment="Too long.")
    Feedback.objects.create(path="/gone/", helpful=True, comment="")
    html = soup(editor_client.get("/admin/netinfo/feedback/"))
    links = [a["href"] for a in html.select("#result_list .field-page a")]
    assert links == [f"/admin/netinfo/page/{page.pk}/change/"]
    assert "/gone/" in text_of(html.find(id="result_list"))


def test_staff_mark_feedback_dealt_with_and_the_dashboard_counts_the_new(
    editor_client, editor, answers
):
    dashboard = soup(editor_client.get("/admin/"))
    assert text_of(dashboard.select_one("#dashboard-feedback h2")) == "New feedback (4)"
    assert "Too long." in text_of(dashboard.select_one("#dashboard-feedback"))

    chosen = Feedback.objects.filter(comment="Too long.").values_list("pk", flat=True)
    response = editor_client.post(
        "/admin/netinfo/feedback/",
        {"action": "mark_dealt_with", "_selected_action": [str(pk) for pk in chosen]},
    )
    assert response.status_code == 302
    assert Feedback.objects.get(comment="Too long.").dealt_with_by == editor.get_full_name()

    dashboard = soup(editor_client.get("/admin/"))
    assert text_of(dashboard.select_one("#dashboard-feedback h2")) == "New feedback (3)"
    assert "Too long." not in text_of(dashboard.select_one("#dashboard-feedback"))
    new_only = soup(editor_client.get("/admin/netinfo/feedback/?dealt=no"))
    assert "Too long." not in text_of(new_only.find(id="result_list"))


def test_the_rate_limit_holds_across_worker_processes(site_database_file, settings):
    """With two gunicorn workers and the default (per-process) cache, a client once got
    twice the limit stored. Two processes in turn, sharing the database, as workers do."""

    def worker(count):
        run = subprocess.run(
            [sys.executable, "-m", "tests.feedback_worker", str(site_database_file), str(count)],
            cwd=settings.BASE_DIR,
            env={**os.environ, "FEEDBACK_RATE_PER_HOUR": "4"},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, run.stderr[-2000:]
        return json.loads(run.stdout.splitlines()[-1])

    assert worker(3) == [302, 302, 302]
    assert worker(3) == [302, 429, 429]


def test_behind_a_proxy_the_rate_limit_counts_each_visitor(client, about, settings):
    settings.PROXY_COUNT = 1
    settings.FEEDBACK_RATE_PER_HOUR = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    assert send(client, HTTP_X_FORWARDED_FOR="203.0.113.1", **proxy).status_code == 302
    spoofed = "198.51.100.9, 203.0.113.1"  # the visitor's own header, then the proxy's entry
    assert send(client, HTTP_X_FORWARDED_FOR=spoofed, **proxy).status_code == 429
    assert send(client, HTTP_X_FORWARDED_FOR="203.0.113.2", **proxy).status_code == 302
