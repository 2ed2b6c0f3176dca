"""The registry's tasks for staff in a browser, at 1,280 and 375 px: the dashboard's "Registry
changed" list with "Mark checked", and a trial's "Check the registry now" when the registry
cannot be reached (the tests' default: nothing answers at its address)."""

import pytest
from playwright.sync_api import expect

from tests.browser.sizes import DESKTOP, PHONE

PAGES = ["/admin/", "/admin/trials/registrychange/", "/admin/trials/registrycondition/"]


@pytest.fixture
def approver(content):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("ann", password="a long test password", is_staff=True)
    user.groups.add(Group.objects.get(name="Content approver"))
    return user


@pytest.fixture
def changed_trial(content):
    """A published trial whose status the registry has just changed."""
    from trials.models import Trial
    from trials.registry import changes

    trial = Trial.objects.published().order_by("pk").first()
    before = changes.snapshot(trial)
    Trial.objects.filter(pk=trial.pk).update(status="closed")
    trial.refresh_from_db()
    changes.record(trial, before, "ClinicalTrials.gov sync")
    return trial


def log_in(page):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("ann")
    page.get_by_label("Password").fill("a long test password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_be_visible()


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280", "375"])
def test_an_approver_marks_a_registry_change_checked(
    approver, changed_trial, new_page, size, screenshot
):
    page = new_page(viewport=size)
    log_in(page)
    wide = {}
    for address in PAGES:
        page.goto(address)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > size["width"]:
            wide[address] = width
    assert not wide, f"pages wider than {size['width']} px: {wide}"
    page.goto("/admin/")
    section = page.locator("#dashboard-registry-changes")
    expect(section).to_contain_text("Registry changed – check the plain-English text (1)")
    expect(section).to_contain_text(str(changed_trial))
    expect(section).to_contain_text("→ Closed to new patients")
    screenshot(page, "admin-registry-changed", full_page=False)

    section.get_by_role("button", name="Mark checked").click()

    expect(page.locator(".messagelist")).to_contain_text(f"Marked checked: {changed_trial}")
    expect(page.locator("#dashboard-registry-changes")).to_contain_text(
        "Registry changed – check the plain-English text (0)"
    )


def test_check_the_registry_now_says_clearly_when_the_registry_cannot_be_reached(
    approver, changed_trial, page
):
    from trials.models import Identifier

    Identifier.objects.get_or_create(trial=changed_trial, kind="nct", value="NCT99999999")
    log_in(page)
    page.goto(f"/admin/trials/trial/{changed_trial.pk}/change/")

    page.get_by_role("button", name="Check the registry now").click()

    expect(page.locator(".messagelist")).to_contain_text(
        "ClinicalTrials.gov cannot be reached from this server just now"
    )
    expect(page.locator("h1")).to_have_text("Change trial")
