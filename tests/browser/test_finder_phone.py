"""The trial finder on a phone: results first, the filters behind one control that works
with the keyboard, and on a wide screen the filters in a side column."""

import re

from playwright.sync_api import expect

from tests.browser.sizes import DESKTOP, PHONE

# The tick box, not a glossary pop-up's "Close: Small bowel" in a result.
SMALL_BOWEL = re.compile(r"^Small bowel")


def test_on_a_phone_the_first_result_comes_within_one_and_a_half_screens(content, phone_page):
    page = phone_page
    page.goto("/trials/?status=all")
    first = page.locator(".app-trial-card").first
    expect(first).to_be_visible()
    assert first.bounding_box()["y"] <= 1.5 * PHONE["height"], first.bounding_box()
    # The filters are closed: one "Filter results" control above the results.
    filters = page.locator("details.app-finder__filters")
    expect(filters).not_to_have_attribute("open", "")
    expect(page.get_by_role("checkbox", name=SMALL_BOWEL)).to_be_hidden()
    summary = filters.locator("> summary")
    assert summary.bounding_box()["y"] < first.bounding_box()["y"]


def test_on_a_phone_the_keyboard_opens_the_filters_and_applies_one(content, phone_page):
    page = phone_page
    page.goto("/trials/?status=all")
    summary = page.locator("details.app-finder__filters > summary")
    expect(summary).to_have_text(re.compile(r"^Filter results"))
    for _ in range(40):
        page.keyboard.press("Tab")
        if summary.evaluate("el => el === document.activeElement"):
            break
    else:
        raise AssertionError("Tab never reached “Filter results”")
    page.keyboard.press("Enter")
    box = page.get_by_role("checkbox", name=SMALL_BOWEL)
    expect(box).to_be_visible()
    box.focus()
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    page.get_by_role("button", name="Show trials").focus()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"[?&]site=small-bowel"))
    # Back to the results, the filters closed again, the choice shown and removable.
    expect(page.locator("details.app-finder__filters")).not_to_have_attribute("open", "")
    chip = page.locator(".app-finder__chip", has_text="Small bowel")
    expect(chip).to_be_visible()
    cards = page.locator(".app-trial-card")
    expect(cards.first).to_be_visible()
    for card in cards.all():
        expect(card).to_contain_text("Small bowel")
    chip.click()
    expect(page).not_to_have_url(re.compile(r"site=small-bowel"))


def test_on_a_wide_screen_the_filters_stay_in_a_side_column(content, new_page):
    for javascript in (True, False):
        page = new_page(viewport=DESKTOP, java_script_enabled=javascript)
        page.goto("/trials/?status=all")
        box = page.get_by_role("checkbox", name=SMALL_BOWEL)
        expect(box).to_be_visible()
        side = page.locator("details.app-finder__filters").bounding_box()
        results = page.locator(".app-finder__results").bounding_box()
        assert side["x"] + side["width"] <= results["x"], (side, results)
        # The count sits at the top, beside the filters, not below them.
        count = page.locator("#results-heading").bounding_box()
        assert count["y"] < side["y"] + 300, (count, side)
