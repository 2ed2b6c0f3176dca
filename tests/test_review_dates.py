"""Review dates drive the admin's overdue filter and the dashboard, which shows each user
only what they may see."""

import datetime
from unittest import mock

import pytest

from tests.editorial import staff
from tests.html import soup, text_of

pytest_plugins = ["tests.editorial_fixtures"]

TODAY = datetime.date(2025, 6, 15)


# ---- Review dates: filter and dashboard ----------------------------------------------------


@pytest.fixture
def review_dates(make_page, make_trial):
    day = datetime.timedelta(days=1)
    return {
        "overdue": make_page("Overdue page", next_review_due=TODAY - day),
        "overdue trial": make_trial("Overdue trial", next_review_due=TODAY - 400 * day),
        "due today": make_page("Due today page", next_review_due=TODAY),
        "due in 30": make_trial("Due in thirty trial", next_review_due=TODAY + 30 * day),
        "due in 31": make_page("Due in thirty-one page", next_review_due=TODAY + 31 * day),
        "draft overdue": make_page(
            "Draft overdue page", state="draft", next_review_due=TODAY - day
        ),
        "never": make_page("Never reviewed page"),
    }


@pytest.fixture
def frozen_today():
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        yield


def _listed(response):
    return {text_of(a) for a in soup(response).select("#result_list tbody th a")}


def test_the_overdue_filter_lists_exactly_the_overdue_published_records(
    approver_client, review_dates, frozen_today
):
    assert _listed(approver_client.get("/admin/netinfo/page/?review=overdue")) == {"Overdue page"}
    assert _listed(approver_client.get("/admin/netinfo/page/?review=soon")) == {"Due today page"}
    assert _listed(approver_client.get("/admin/netinfo/page/?review=never")) == {
        "Never reviewed page"
    }
    trials = _listed(approver_client.get("/admin/trials/trial/?review=overdue"))
    assert trials == {"Overdue trial"}


def _section(html, key):
    section = html.find(id=f"dashboard-{key}")
    return {text_of(a) for a in section.select("tbody th a")}


def test_the_dashboard_lists_overdue_due_soon_and_drafts(
    approver_client, review_dates, make_term, frozen_today
):
    make_term("Draft term", state="draft")
    html = soup(approver_client.get("/admin/"))
    assert _section(html, "overdue") == {"Overdue page", "Overdue trial"}
    assert _section(html, "soon") == {"Due today page", "Due in thirty trial"}
    assert _section(html, "never") == {"Never reviewed page"}
    assert _section(html, "drafts") == {"Draft overdue page", "Draft term"}
    overdue_rows = html.find(id="dashboard-overdue").select("tbody tr")
    assert "Overdue trial" in text_of(overdue_rows[0])  # longest overdue first


def test_the_dashboard_shows_only_what_the_user_may_see(client, review_dates, frozen_today):
    from django.contrib.auth.models import Permission

    user = staff("pagesonly")
    user.user_permissions.add(Permission.objects.get(codename="view_page"))
    client.force_login(user)
    html = soup(client.get("/admin/"))
    assert _section(html, "overdue") == {"Overdue page"}
