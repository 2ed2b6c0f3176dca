"""The site's frame: every page has the same accessible skeleton, errors are styled, the
health check tells the truth, and production settings are locked down."""

import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.template import engines
from django.urls import set_script_prefix

from tests.html import soup

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def every_page_type(make_site, make_term, make_page, make_treatment, make_trial):
    site = make_site("Pancreas")
    term = make_term("Biomarker")
    page = make_page("About NETs", body="NETs are rare.")
    treatment = make_treatment("Everolimus")
    trial = make_trial("A trial of a new drug", acronym="NEWDRUG", sites=[site])
    return [
        "/",
        "/trials/",
        trial.get_absolute_url(),
        "/treatments/",
        treatment.get_absolute_url(),
        "/tumour-sites/",
        site.get_absolute_url(),
        "/glossary/",
        term.get_absolute_url(),
        page.get_absolute_url(),
    ]


def test_every_page_has_one_h1_the_skip_link_and_landmarks(client, every_page_type):
    for url in every_page_type:
        response = client.get(url)
        assert response.status_code == 200, url
        html = soup(response)
        assert len(html.find_all("h1")) == 1, url
        skip = html.find("a", class_="app-skip-link")
        assert skip and skip["href"] == "#main-content", url
        assert html.find("main", id="main-content"), url
        assert html.find("header") and html.find("footer"), url
        assert html.find("nav", attrs={"aria-label": "Main"}), url
        assert html.html["lang"] == "en-GB", url


def test_main_navigation_marks_the_current_section(client, db):
    html = soup(client.get("/trials/"))
    current = html.select('nav[aria-label="Main"] a[aria-current="page"]')
    assert [a.get_text() for a in current] == ["Find a trial"]


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/", []),
        ("/glossary/?q=scan", ["Glossary"]),
        ("/tumour-sites/no/such/page/", ["Tumour sites"]),
    ],
)
def test_main_navigation_marks_every_address_under_a_section(client, db, path, current):
    html = soup(client.get(path))
    marked = html.select('nav[aria-label="Main"] a[aria-current="page"]')
    assert [a.get_text() for a in marked] == current


def test_every_page_links_to_the_sections_the_search_and_the_site_pages(client, db):
    html = soup(client.get("/glossary/"))
    assert html.find("a", class_="app-header__logo")["href"] == "/"
    sections = [a["href"] for a in html.select('nav[aria-label="Main"] a')]
    assert sections == ["/trials/", "/treatments/", "/tumour-sites/", "/glossary/"]
    assert html.find("form", class_="app-header__search")["action"] == "/search/"
    site_pages = [a["href"] for a in html.select('nav[aria-label="About this site"] a')]
    assert site_pages == [
        "/about-nets/",
        "/faq/",
        "/joining-a-clinical-trial/",
        "/about-this-information/",
        "/who-we-are/",
        "/editorial-policy/",
        "/funding-and-conflicts-of-interest/",
        "/privacy/",
        "/accessibility/",
        "/contact/",
    ]


def test_written_out_links_follow_the_address_the_site_is_served_under():
    # {% load links %} reverses a written-out name once per process (and script prefix).
    template = engines["django"].from_string(
        "{% load links %}{% url 'netinfo:page' 'faq' %} {% url name %}"
    )
    assert template.render({"name": "trials:list"}) == "/faq/ /trials/"
    set_script_prefix("/nets/")
    try:
        assert template.render({"name": "trials:list"}) == "/nets/faq/ /nets/trials/"
    finally:
        set_script_prefix("/")
    assert template.render({"name": "treatments:list"}) == "/faq/ /treatments/"


def test_a_missing_page_is_a_styled_404_with_a_way_back(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = soup(response)
    assert "cannot find that page" in html.h1.get_text()
    assert html.find("a", href="/trials/")
    assert html.find("a", class_="app-skip-link")


def test_unknown_trial_is_a_404_too(client, db):
    assert client.get("/trials/no-such-trial/").status_code == 404


def test_server_error_page_renders_without_a_database(client):
    from netinfo.views import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert b"something went wrong" in response.content
    html = soup(response)
    assert html.find("a", href="/trials/") and html.find("a", href="/about-nets/")
    assert not html.select("[aria-current]")


def test_healthz_is_200_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_healthz_is_503_when_the_database_is_unreachable(client, db):
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_robots_txt_keeps_crawlers_out_of_the_admin(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in response.content.decode()
    assert "Sitemap:" in response.content.decode()


def test_security_headers_on_every_response(client, db):
    for url in ["/", "/no-such-page/", "/healthz"]:
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, url
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_scripts_or_styles(client, every_page_type):
    for url in every_page_type:
        html = soup(client.get(url))
        for script in html.find_all("script"):
            assert script.get("src") or script.get("type") == "application/ld+json", url
        assert not html.find("style"), url
        assert not html.select("[style]"), url


def test_pages_load_nothing_from_another_host(client, every_page_type):
    for url in every_page_type:
        html = soup(client.get(url))
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src")):
            for element in html.find_all(tag):
                value = element.get(attr, "")
                assert not value.startswith(("http:", "https:", "//")), (url, value)


def test_check_deploy_is_clean_in_production():
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-value-123456",
        "ALLOWED_HOSTS": "nets.example.org",
        "DATABASE_URL": "sqlite:////tmp/netinfo-deploy-check.sqlite3",
    }
    env.pop("DEBUG", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for browser tests; never in deployment
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret():
    env = {**os.environ, "DJANGO_ENV": "production", "SECRET_KEY": "", "ALLOWED_HOSTS": "x"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_ensure_admin_creates_one_account_once(db, capsys):
    from django.contrib.auth.models import User

    call_command("ensure_admin")
    first = capsys.readouterr().out
    call_command("ensure_admin")
    second = capsys.readouterr().out
    assert "Password:" in first and "already exists" in second
    assert User.objects.filter(is_superuser=True).count() == 1


def test_a_page_with_no_review_facts_has_no_empty_review_box(client, make_page):
    bare = make_page("Bare page", body="Text.")
    assert not soup(client.get(bare.get_absolute_url())).find(class_="app-review")
    reviewed = make_page("Reviewed page", body="Text.", last_reviewed=date(2026, 11, 21))
    box = soup(client.get(reviewed.get_absolute_url())).find(class_="app-review")
    assert "21 November 2026" in box.get_text() and "21 November 2027" in box.get_text()


def test_favicon_ico_points_at_the_site_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith(".svg")


def test_home_page_reaches_a_sites_trials_in_one_click(client, make_site, make_trial):
    pancreas = make_site("Pancreas")
    make_trial("A pancreas trial", sites=[pancreas])
    picker = soup(client.get("/")).find(class_="app-site-picker")
    link = picker.find("a", string="Pancreas")
    results = client.get(link["href"])
    assert "A pancreas trial" in results.content.decode()
