"""Staff journeys in a real browser with the starting content: a clinician signs off a page
that said it was not yet checked, and an approver undoes a mistaken edit by restoring the
page's first version, links and all. Screenshots: signoff-*.png, restore-*.png."""

import re

import pytest
from playwright.sync_api import expect


@pytest.fixture
def log_in(content):
    from django.contrib.auth.models import Group, User

    def log_in(page, role, username, **names):
        user = User.objects.create_user(
            username, password="a long test password", is_staff=True, **names
        )
        user.groups.add(Group.objects.get(name=role))
        page.goto("/admin/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill("a long test password")
        page.get_by_role("button", name="Log in").click()
        expect(page.locator("#user-tools")).to_be_visible()
        return user

    return log_in


def test_a_clinician_signs_off_a_trial_and_patients_see_who_checked_it(
    content, page, new_page, log_in, screenshot, assert_no_axe_violations
):
    patient = new_page(viewport={"width": 1280, "height": 800})
    patient.goto("/trials/spinet/")
    notice = patient.locator("main .app-clinical-notice")
    expect(notice).to_contain_text("Not yet checked by a clinician.")
    assert notice.bounding_box()["y"] < patient.locator("h1").bounding_box()["y"]
    screenshot(patient, "signoff-before", full_page=False)

    log_in(page, "Clinical reviewer", "cleo", first_name="Cleo", last_name="Patel")
    page.goto("/admin/trials/trial/?q=spinet")
    page.get_by_role("link", name=re.compile("Lanreotide or a placebo")).click()
    expect(page.locator("fieldset", has_text="Clinical review")).to_contain_text(
        "No clinician has checked this page yet"
    )
    page.get_by_role("link", name="Record a clinical review").click()
    expect(page.get_by_label("Name")).to_have_value("Cleo Patel")
    page.get_by_label("Role").fill("Consultant medical oncologist")
    page.get_by_label("What was checked").fill(
        "Every fact on the page against the trial's registry record."
    )
    screenshot(page, "signoff-form")
    page.get_by_role("button", name="Record the clinical review").click()
    expect(page.locator(".messagelist")).to_contain_text("Recorded the clinical review")

    patient.goto("/trials/spinet/")
    expect(patient.locator("main .app-clinical-notice")).to_have_count(0)
    review = patient.locator(".app-review")
    expect(review).to_contain_text("Checked by a clinician:")
    expect(review).to_contain_text("by Cleo Patel, Consultant medical oncologist")
    expect(review).to_contain_text("against the trial's registry record")
    assert_no_axe_violations(patient, "signed-off trial page:")
    review.scroll_into_view_if_needed()
    screenshot(patient, "signoff-after")


def test_an_approver_undoes_a_mistaken_edit_by_restoring_the_first_version(
    content, page, new_page, log_in, screenshot
):
    log_in(page, "Content approver", "alan")  # an editor's restore of a live page waits
    page.goto("/admin/trials/trial/?q=spinet")
    page.get_by_role("link", name=re.compile("Lanreotide or a placebo")).click()
    numbers = page.locator("#identifiers-group")
    expect(numbers.locator("input[value='NCT02683941']")).to_have_count(1)
    numbers.locator("input[name='identifiers-0-DELETE']").check()  # by mistake
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    patient = new_page()
    patient.goto("/trials/spinet/")
    registered = patient.locator("section[aria-labelledby='registered']")
    expect(registered).to_have_count(0)  # its only registry number is gone

    page.goto("/admin/trials/trial/?q=spinet")
    page.get_by_role("link", name=re.compile("Lanreotide or a placebo")).click()
    page.get_by_role("link", name="History").click()
    rows = page.locator("#change-history tbody tr")
    expect(rows.first).to_contain_text("Registry numbers")
    expect(rows.last).to_contain_text("Starting content loaded")
    rows.last.get_by_role("link", name=re.compile("See changes")).click()
    expect(page.locator(".app-admin-diff").last).to_contain_text("NCT02683941")
    screenshot(page, "restore-preview")
    page.get_by_role("button", name="Restore this version").click()
    expect(page.locator(".messagelist")).to_contain_text("Restored")

    patient.goto("/trials/spinet/")
    expect(registered.get_by_role("link", name="NCT02683941")).to_be_visible()
