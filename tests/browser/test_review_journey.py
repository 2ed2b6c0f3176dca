"""An editor's change to a published trial, start to finish, in a real browser with the real
starting content: the editor edits and submits it, the approver is emailed, sends it back
with a comment, the editor corrects it, the approver reads the difference, previews the page
and publishes it; patients see the old page until then and the new one after."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

OLD_WORDS = "This study was for people with"
FIRST_TRY = "This study was for people with a NET in the small bowel. It is now finished."
SECOND_TRY = "This study was for people with a NET in the small bowel. It has now finished."
PASSWORD = "a long test password"


@pytest.fixture
def log_in(content, new_page):
    """A browser of its own for a member of staff with one of the two editorial roles."""
    from django.contrib.auth.models import Group, User

    def open_as(role, username, first_name):
        user = User.objects.create_user(
            username,
            password=PASSWORD,
            is_staff=True,
            first_name=first_name,
            email=f"{username}@example.org",
        )
        user.groups.add(Group.objects.get(name=role))
        page = new_page()
        page.goto("/admin/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.locator("#user-tools")).to_contain_text(first_name)
        return page

    return open_as


def public_summary(new_page):
    page = new_page()
    page.goto("/trials/calm-net/")
    return page.locator(".app-trial-page__summary")


def test_an_editors_change_waits_for_the_approver_then_goes_live(
    content, log_in, new_page, screenshot
):
    editor = log_in("Content editor", "edna", "Edna")
    approver = log_in("Content approver", "alan", "Alan")

    # The editor opens a published trial: the form says the change will wait.
    editor.get_by_role("link", name="Trials", exact=True).click()
    editor.get_by_role("link", name=re.compile("Circulating tumour cells")).click()
    banner = editor.locator("#pending-banner")
    expect(banner).to_contain_text("When you save, your change waits for review")
    screenshot(editor, "review-1-editor-opens-a-published-trial", full_page=False)
    summary = editor.get_by_role("textbox", name=re.compile(r"^Summary\b"))
    expect(summary).to_have_value(re.compile(OLD_WORDS))
    summary.fill(FIRST_TRY)
    editor.get_by_label(re.compile("Note for the approver")).fill("The trial has ended.")
    screenshot(editor, "review-2-editor-submits-with-a-note", full_page=False)
    editor.get_by_role("button", name="Submit for review").first.click()

    expect(editor.locator(".messagelist")).to_contain_text("has been sent for review")
    expect(banner).to_contain_text("Your change is waiting for review")
    expect(summary).to_have_value(FIRST_TRY)  # the form opens with the pending words
    screenshot(editor, "review-3-editor-change-waiting", full_page=False)
    expect(public_summary(new_page)).not_to_contain_text("It is now finished")

    # The approver is emailed a link to the review page.
    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    email = mail.outbox[0]
    assert email.to == ["alan@example.org"]
    assert "Change waiting for review" in email.subject
    assert "Their note: The trial has ended." in email.body
    link = re.search(r"https?://\S+(/admin/\S+/pending/)", email.body).group(1)

    # The approver sends it back with a comment.
    approver.goto("/admin/")
    expect(approver.locator("#dashboard-pending")).to_contain_text("CALM-NET")
    approver.locator("#dashboard-pending").scroll_into_view_if_needed()
    screenshot(approver, "review-4-approver-dashboard-lists-the-change", full_page=False)
    approver.goto(link)
    approver.get_by_label(re.compile("What needs changing")).fill(
        "Please say “has finished”: it reads more plainly."
    )
    approver.get_by_role("button", name=re.compile("Send back to Edna")).click()
    expect(approver.locator(".messagelist")).to_contain_text("Sent the change")
    assert mail.outbox[-1].to == ["edna@example.org"]
    assert "has finished" in mail.outbox[-1].body

    # The editor sees the comment on the form, corrects the change and submits it again.
    editor.reload()
    expect(banner).to_contain_text("Sent back by Alan")
    expect(banner).to_contain_text("Please say “has finished”")
    editor.evaluate("window.scrollTo(0, 0)")
    screenshot(editor, "review-5-editor-sees-the-comment", full_page=False)
    summary.fill(SECOND_TRY)
    editor.get_by_role("button", name="Submit for review").first.click()
    expect(editor.locator(".messagelist")).to_contain_text("has been sent for review")
    assert len(mail.outbox) == 3

    # The approver reads the difference, previews the page, and publishes it.
    approver.goto(link)
    diff = approver.locator(".app-admin-diff")
    expect(diff).to_contain_text("Summary")
    expect(diff.locator("ins").first).to_be_visible()
    # Only what the editor changed: a box they did not touch is not listed.
    expect(diff.locator("tbody th")).to_have_text(["Summary"])
    screenshot(approver, "review-6-approver-sees-the-difference")
    approver.get_by_role("link", name="See the page as it would look").click()
    expect(approver.locator(".app-preview-banner")).to_contain_text("Preview of a change")
    expect(approver.locator(".app-trial-page__summary")).to_contain_text("It has now finished")
    screenshot(approver, "review-7-approver-previews-the-page")
    expect(public_summary(new_page)).not_to_contain_text("It has now finished")

    approver.go_back()
    approver.get_by_role("button", name="Publish this change").click()
    expect(approver.locator(".messagelist")).to_contain_text("It is on the site now")
    screenshot(approver, "review-8-approver-published")

    public = public_summary(new_page)
    expect(public).to_contain_text("It has now finished")
    screenshot(public.page, "review-9-patients-see-the-change")
    assert mail.outbox[-1].to == ["edna@example.org"]
    assert "published" in mail.outbox[-1].subject
