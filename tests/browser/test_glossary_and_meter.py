"""The glossary pages and the editors' plain-English meter in a real browser."""

import pytest

from tests.test_meter import HARD_TEXT, KNOWN_TEXT


@pytest.fixture
def editor_page(page, live_server, transactional_db, django_user_model):
    django_user_model.objects.create_superuser("editor", password="a long test password")
    page.goto("/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a long test password")
    page.click("input[type=submit]")
    return page


def test_meter_updates_as_the_editor_types(editor_page, screenshot):
    from netinfo.models import Page

    record = Page.objects.create(title="Scans", slug="scans", body=KNOWN_TEXT)
    page = editor_page
    page.goto(f"/admin/netinfo/page/{record.pk}/change/")
    meter = page.locator('.app-meter[data-meter-for="id_body"]')
    assert meter.locator(".app-meter__label").inner_text() != "Very hard"
    assert meter.locator(".app-meter__word").count() == 0

    page.fill("#id_body", HARD_TEXT)
    page.locator("#id_body").dispatch_event("input")
    meter.locator(".app-meter__label", has_text="Very hard").wait_for()
    assert meter.locator(".app-meter__word", has_text="multidisciplinary").count() == 1
    assert meter.locator("[data-meter-status]").inner_text() == "Reading level: Very hard"
    screenshot(page, "admin-meter")

    # The text was never saved: the page still has the easy text.
    record.refresh_from_db()
    assert record.body == KNOWN_TEXT


def test_glossary_pages_have_no_axe_violations(
    page, live_server, transactional_db, assert_no_axe_violations, screenshot
):
    from netinfo.models import GlossaryTerm, Page

    GlossaryTerm.objects.create(
        term="Ki-67",
        slug="ki-67",
        definition="A protein that shows how fast cells divide.",
        state="published",
    )
    GlossaryTerm.objects.create(
        term="Biopsy",
        slug="biopsy",
        definition="Taking a small piece of tissue to look at.",
        other_forms="biopsies",
        state="published",
    )
    Page.objects.create(
        title="About NETs",
        slug="about-nets",
        body="Your biopsy shows the Ki-67.",
        state="published",
    )
    for path, name in (
        ("/glossary/", "glossary"),
        ("/glossary/?q=cells", "glossary-filtered"),
        ("/glossary/?q=zzz", "glossary-no-match"),
        ("/glossary/biopsy/", "glossary-term"),
    ):
        page.goto(path)
        assert_no_axe_violations(page, name)
        screenshot(page, name)
    page.goto("/glossary/biopsy/")
    assert page.locator("main").get_by_role("link", name="About NETs").count() == 1
