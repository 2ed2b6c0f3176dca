"""The admin as a nurse uses it between clinics, on a desktop at 1,280 px and a phone at 375 px
(issue 22): nothing scrolls sideways, colleagues are added in one form, and the trial list
shows what state each trial is in."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.sizes import DESKTOP, PHONE

ADMIN_PAGES = [
    "/admin/",
    "/admin/trials/trial/",
    "/admin/trials/trial/add/",
    "/admin/treatments/treatment/",
    "/admin/treatments/treatment/add/",
    "/admin/netinfo/tumoursite/",
    "/admin/netinfo/glossaryterm/",
    "/admin/netinfo/page/",
    "/admin/netinfo/feedback/",
    "/admin/auth/user/",
    "/admin/auth/user/add/",
]


@pytest.fixture
def approver(content):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(
        "ann", password="a long test password", is_staff=True, first_name="Ann"
    )
    user.groups.add(Group.objects.get(name="Content approver"))
    # Adding colleagues is an administrator's job; Ann runs the unit.
    user.is_superuser = True
    user.save()
    return user


def log_in(page, username="ann"):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("a long test password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_be_visible()


def change_pages():
    """The change form of the first record of every kind, where the widest tables are."""
    from netinfo.models import GlossaryTerm, Page, TumourSite
    from treatments.models import Treatment
    from trials.models import Trial

    return [
        f"/admin/{model._meta.app_label}/{model._meta.model_name}/{record.pk}/change/"
        for model in (Trial, Treatment, TumourSite, GlossaryTerm, Page)
        for record in [model.objects.order_by("pk").first()]
    ]


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280", "375"])
def test_no_admin_list_or_form_scrolls_sideways(approver, new_page, size, screenshot):
    page = new_page(viewport=size)
    log_in(page)
    wide = {}
    for address in ADMIN_PAGES + change_pages():
        page.goto(address)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > size["width"]:
            wide[address] = width
    assert not wide, f"pages wider than {size['width']} px: {wide}"
    page.goto(change_pages()[0])
    screenshot(page, "admin-trial-form", full_page=False)


def test_a_nurse_is_added_with_a_role_in_one_form_and_gets_an_invitation(
    approver, page, screenshot
):
    from django.contrib.auth.models import User

    log_in(page)
    page.goto("/admin/auth/user/add/")
    page.get_by_label("First name").fill("Nia")
    page.get_by_label("Last name").fill("Jones")
    page.get_by_label("Email address").fill("nia.jones@nhs.net")
    page.get_by_role("radio", name=re.compile("Content editor: Writes and changes pages")).check()
    screenshot(page, "admin-add-colleague")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("We emailed nia.jones@nhs.net")

    nurse = User.objects.get(email="nia.jones@nhs.net")
    assert nurse.is_staff and nurse.groups.get().name == "Content editor"
    (invitation,) = [m for m in mail.outbox if m.to == ["nia.jones@nhs.net"]]
    link = re.search(r"https?://\S+/admin/password/\S+", invitation.body).group()

    # Nia follows the link on her phone, chooses a password and signs in.
    page.context.clear_cookies()
    page.goto(link)
    page.locator("#id_new_password1").fill("a long pass phrase 4 NETs")
    page.locator("#id_new_password2").fill("a long pass phrase 4 NETs")
    page.get_by_role("button", name=re.compile("Change my password")).click()
    expect(page.locator("#content")).to_contain_text("Your password has been set")
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("nia.jones@nhs.net")
    page.get_by_label("Password").fill("a long pass phrase 4 NETs")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_contain_text("Nia")


def test_the_trial_list_shows_state_status_check_and_next_review(approver, page, screenshot):
    log_in(page)
    page.goto("/admin/trials/trial/")
    headers = page.locator("#result_list thead th").all_inner_texts()
    for column in ("STATUS", "STATUS LAST CHECKED", "NEXT REVIEW DUE", "STATE"):
        assert column in [header.strip().upper() for header in headers]
    first_row = page.locator("#result_list tbody tr").first
    expect(first_row.locator(".field-registry_check")).to_have_text(
        re.compile(r"Never checked|\d{1,2} \w{3} \d{4}")
    )
    expect(first_row.locator(".field-state")).to_have_text(re.compile("Published|Draft"))
    screenshot(page, "admin-trial-list")
