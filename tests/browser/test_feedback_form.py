"""The "Was this page helpful?" form from a real browser: it has no CSRF token (every public
page is the same for everyone), and the browser's Origin header is what the site checks."""

from playwright.sync_api import expect


def test_a_patient_sends_feedback_from_a_page_without_a_token(content, phone_page):
    from netinfo.feedback import Feedback

    page = phone_page
    page.goto("/trials/calm-net/")
    form = page.locator("form.app-feedback")
    assert form.locator("input[name=csrfmiddlewaretoken]").count() == 0
    form.get_by_label("No").check()
    form.get_by_label("Tell us how we could make it better").fill("The dates were unclear.")
    form.get_by_role("button", name="Send feedback").click()
    expect(page.locator("h1")).to_have_text("Thank you for your feedback")
    answer = Feedback.objects.get()
    assert (answer.path, answer.helpful, answer.comment) == (
        "/trials/calm-net/",
        False,
        "The dates were unclear.",
    )
