"""What patients and staff do on the site, start to finish, in a real browser with the real
starting content."""

import re

import pytest
from playwright.sync_api import expect

CALM_NET = re.compile(r"CALM-NET")
# The tick box, not a glossary pop-up's "Close: Small bowel" in a result.
SMALL_BOWEL = re.compile(r"^Small bowel")


def open_filters(page):
    """On a phone the filters are behind "Filter results"; on a wide screen they are open."""
    if not page.get_by_role("checkbox", name=SMALL_BOWEL).is_visible():
        page.locator("details.app-finder__filters > summary").click()
    expect(page.get_by_role("checkbox", name=SMALL_BOWEL)).to_be_visible()


def find_small_bowel_trials(page):
    """Home page -> Find a trial -> tick Small bowel -> Show trials (none is confirmed open);
    then, as CALM-NET has finished, tick "Results available" too."""
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Find a trial").click()
    expect(page).to_have_url(re.compile(r"/trials/$"))
    expect(page.locator("h1")).to_have_text("Find a clinical trial")

    open_filters(page)
    page.get_by_role("checkbox", name=SMALL_BOWEL).check()
    page.get_by_role("button", name="Show trials").click()

    expect(page).to_have_url(re.compile(r"[?&]site=small-bowel"))
    results = page.locator(".app-finder")
    # No starting trial has a registry check, so none is shown as open (issue 16).
    expect(results.locator("#results-heading")).to_have_text("No trials found")
    expect(results).to_contain_text("No trials match all of your choices.")
    expect(results.get_by_role("link", name=CALM_NET)).to_have_count(0)  # it is not open

    open_filters(page)
    page.get_by_label("Results available").check()
    page.get_by_role("button", name="Show trials").click()
    expect(page).to_have_url(re.compile(r"status=results"))
    expect(page.get_by_role("checkbox", name=SMALL_BOWEL, include_hidden=True)).to_be_checked()
    return results


def test_a_patient_on_a_phone_finds_calm_net_and_reads_a_word_with_the_keyboard(
    content, phone_page, assert_no_axe_violations, screenshot
):
    page = phone_page
    results = find_small_bowel_trials(page)

    results.get_by_role("link", name=CALM_NET).click()
    expect(page.locator("h1")).to_contain_text("CALM-NET")

    # The first word explained in the summary (the fact box above explains the drug's name).
    word = page.locator(".app-trial-page__summary button.app-glossary").first
    expect(word).to_have_attribute("aria-expanded", "false")
    word_text = word.inner_text()
    for _ in range(60):  # the keyboard alone: Tab until the word has focus
        page.keyboard.press("Tab")
        if word.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail(f"Tab never reached the glossary word {word_text!r}")

    page.keyboard.press("Enter")
    expect(word).to_have_attribute("aria-expanded", "true")
    panel = page.locator("#" + word.get_attribute("aria-controls"))
    expect(panel).to_be_visible()
    expect(panel.locator(".app-glossary__definition")).to_contain_text("rare tumour")
    expect(panel.get_by_role("link", name=re.compile("More about"))).to_have_attribute(
        "href", re.compile(r"/glossary/neuroendocrine-tumour/$")
    )
    # The open pop-up fits on the phone's screen and breaks no accessibility rule.
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert_no_axe_violations(page, "glossary pop-up open on a phone:")
    panel.scroll_into_view_if_needed()
    screenshot(page, "trial-glossary-pop-up", full_page=False)
    expect(page.locator(".app-glossary__announcer")).to_contain_text("rare tumour")  # read out

    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(word).to_have_attribute("aria-expanded", "false")
    expect(word).to_be_focused()


def test_the_same_search_works_without_javascript_and_words_link_to_the_glossary(content, new_page):
    page = new_page(java_script_enabled=False)
    results = find_small_bowel_trials(page)

    results.get_by_role("link", name=CALM_NET).click()
    expect(page.locator("h1")).to_contain_text("CALM-NET")

    expect(page.locator("button.app-glossary")).to_have_count(0)
    word = page.locator(".app-trial-page__summary a.app-glossary").first
    expect(word).to_have_text("neuroendocrine tumour")
    expect(word).to_have_attribute("href", "/glossary/neuroendocrine-tumour/")
    word.click()
    expect(page).to_have_url(re.compile(r"/glossary/neuroendocrine-tumour/$"))
    expect(page.locator("h1")).to_have_text("Neuroendocrine tumour")
    expect(page.locator("main")).to_contain_text("A rare tumour that starts in cells")


def test_a_patient_searches_by_registry_number_and_lands_on_the_trial(content, page):
    page.goto("/trials/")
    search = page.get_by_label("Search by words or a trial number")
    search.fill("NCT02683941")
    search.press("Enter")

    expect(page).to_have_url(re.compile(r"q=NCT02683941"))
    cards = page.locator(".app-trial-card")
    expect(cards).to_have_count(1)
    cards.get_by_role("link").click()

    expect(page).to_have_url(re.compile(r"/trials/[\w-]+/$"))
    expect(page.locator("main")).to_contain_text("NCT02683941")


def test_treatments_for_grade_2_pancreas_lead_to_a_trial_that_tests_one(content, page):
    page.goto("/treatments/")
    page.get_by_label("Where the NET started").select_option(label="Pancreas")
    page.get_by_label("Grade", exact=True).select_option(label="Grade 2 (G2)")
    page.get_by_role("button", name="Show treatments").click()

    expect(page).to_have_url(re.compile(r"site=pancreas"))
    expect(page).to_have_url(re.compile(r"grade=g2"))
    main = page.locator("main")
    analogues = main.get_by_role("link", name="Somatostatin analogues", exact=True)
    expect(analogues).to_be_visible()
    # Treatments never used for pancreatic NETs are not offered.
    expect(main.get_by_role("link", name="Telotristat ethyl")).to_have_count(0)

    analogues.click()
    expect(page.locator("h1")).to_contain_text("Somatostatin analogues")

    trials_heading = page.get_by_role("heading", name=re.compile("trials", re.I))
    trials = page.locator("section", has=trials_heading)
    # No starting trial is confirmed open, so they are listed as not known to take people.
    expect(trials).to_contain_text("Trials that are not known to be taking people")
    trial_link = trials.locator("a[href^='/trials/']:not([href*='?'])").first
    trial_title = trial_link.inner_text()
    trial_link.click()
    expect(page).to_have_url(re.compile(r"/trials/[\w-]+/$"))
    expect(page.locator("h1")).to_contain_text(trial_title.split(" (")[0])
    expect(page.locator("main")).to_contain_text(re.compile("somatostatin analogue", re.I))


# ---- Staff ------------------------------------------------------------------------------


@pytest.fixture
def staff(content):
    """Log a member of staff in to the admin, with one of the two editorial roles."""
    from django.contrib.auth.models import Group, User

    def log_in(page, role, username):
        user = User.objects.create_user(username, password="a long test password", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        page.goto("/admin/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill("a long test password")
        page.get_by_role("button", name="Log in").click()
        expect(page.locator("#user-tools")).to_contain_text(username)
        return user

    return log_in


# An editor's change to a published trial waits for an approver: that journey is in
# test_review_journey.py.


def test_an_approver_publishes_a_draft_and_patients_can_then_see_it(content, page, staff):
    from trials.models import Trial

    Trial.objects.filter(slug="nelmas").update(state="draft")
    assert page.goto("/trials/nelmas/").status == 404

    staff(page, "Content approver", "approver")
    page.goto("/admin/trials/trial/?state__exact=draft")
    page.get_by_role("link", name=re.compile("NELMAS|after surgery for NET")).first.click()
    page.get_by_label(re.compile(r"^State\b")).select_option("published")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    assert page.goto("/trials/nelmas/").status == 200
    expect(page.locator("h1")).to_contain_text("NELMAS")
