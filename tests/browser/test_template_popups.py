"""Hard words a template writes get the same pop-up as words in stored text: a filter hint
in the finder and a trial's fact box, with the real starting content."""

import re

from playwright.sync_api import expect


def open_word(page, word):
    """Click the word and return its open panel."""
    expect(word).to_have_attribute("aria-expanded", "false")
    word.click()
    expect(word).to_have_attribute("aria-expanded", "true")
    panel = page.locator("#" + word.get_attribute("aria-controls"))
    expect(panel).to_be_visible()
    return panel


def test_a_filter_hint_explains_ki_67(content, page, screenshot):
    page.goto("/trials/")
    page.locator("summary", has_text="Grade").click()
    word = page.locator("#grade-1-hint button.app-glossary")
    expect(word).to_have_text("Ki-67")

    panel = open_word(page, word)

    expect(panel).to_contain_text("how many of the tumour cells are dividing")
    expect(panel.get_by_role("link", name="More about Ki-67")).to_have_attribute(
        "href", re.compile(r"/glossary/ki-67/$")
    )
    screenshot(page, "finder-hint-pop-up", full_page=False)
    page.keyboard.press("Escape")
    expect(word).to_have_attribute("aria-expanded", "false")
    # Explained once on the page: the next hint says Ki-67 as plain words.
    expect(page.locator("#grade-2-hint .app-glossary")).to_have_count(0)


def test_a_trials_fact_box_explains_its_words(content, page, screenshot):
    page.goto("/trials/ea2142/")
    facts = page.locator(".app-trial-page__facts")
    word = facts.locator("button.app-glossary").first
    expect(word).to_be_visible()

    panel = open_word(page, word)

    expect(panel.locator(".app-glossary__definition")).not_to_be_empty()
    screenshot(page, "trial-fact-box-pop-up", full_page=False)
    # Each word has one pop-up on the page: no two pop-ups lead to the same term.
    more = page.locator("main .app-glossary__more")
    hrefs = [more.nth(i).get_attribute("href") for i in range(more.count())]
    assert len(hrefs) > 5
    assert len(hrefs) == len(set(hrefs))
