"""Every page type, checked the way disabled people use it: axe-core's WCAG 2.2 A and AA
rules, the keyboard alone, a 320 px wide window and 200% zoom. Screenshots of each page at
375 px and 1280 px are saved for a person to look at (see conftest.py)."""

import pytest
from playwright.sync_api import expect

from tests.browser.sizes import DESKTOP, PHONE

# name: (address, the HTTP status a visitor gets)
PAGE_TYPES = {
    "home": ("/", 200),
    "trial-finder": ("/trials/?site=small-bowel&status=all", 200),
    "trial-finder-empty": ("/trials/?q=no+trial+has+these+words", 200),
    "trial": ("/trials/calm-net/", 200),
    "treatments": ("/treatments/", 200),
    "treatment": ("/treatments/prrt/", 200),
    "tumour-sites": ("/tumour-sites/", 200),
    "tumour-site": ("/tumour-sites/pancreas/", 200),
    "glossary": ("/glossary/", 200),
    "glossary-term": ("/glossary/biomarker/", 200),
    "site-page": ("/about-nets/", 200),
    "site-search": ("/search/?q=lanreotide", 200),
    "site-search-empty": ("/search/?q=no+page+has+these+words", 200),
    "trial-finder-near": ("/trials/?near=Leedz&within=50&status=all", 200),
    "not-found": ("/trials/no-such-trial/", 404),
    "admin-login": ("/admin/login/", 200),
}

page_types = pytest.mark.parametrize("name", list(PAGE_TYPES))


def visit(page, name):
    url, status = PAGE_TYPES[name]
    response = page.goto(url)
    assert response.status == status, f"{url} gave {response.status}"
    if name != "admin-login":  # Django's own login page has no <h1>; ours have exactly one
        expect(page.locator("h1")).to_have_count(1)
    shown = page.locator("body").inner_text()
    leaks = [mark for mark in ("{#", "{%", "{{", "#}", "%}", "}}") if mark in shown]
    assert leaks == [], f"template code shows on {url}: {leaks}"
    return response


def main_heading(page):
    """The page's <h1>; on Django's login page, its title bar."""
    return page.locator("h1, #site-name").first


@page_types
def test_axe_finds_no_wcag_problems_on_a_phone_or_a_desktop(
    content, page, name, assert_no_axe_violations, screenshot
):
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        visit(page, name)
        screenshot(page, name)
        assert_no_axe_violations(page, f"{name} at {size['width']} px:")


# ---- Keyboard ---------------------------------------------------------------------------

# Everything a keyboard user can act on that is on screen: not inside a closed <details>,
# hidden or display: none. Of a group of radio buttons, Tab stops on one.
REMEMBER_CONTROLS = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, '
    + 'iframe, [tabindex]';
  const props = ['outline-style', 'outline-width', 'outline-color', 'box-shadow',
    'background-color', 'border-bottom-style', 'border-bottom-width', 'border-bottom-color'];
  const controls = [...document.querySelectorAll(selector)].filter((el) =>
    !el.disabled && el.tabIndex >= 0
    && el.checkVisibility({ contentVisibilityAuto: true, visibilityProperty: true }));
  const look = (el) => Object.fromEntries(props.map((p) => [p, getComputedStyle(el)[p]]));
  document.activeElement.blur();  // an autofocused field: remember how it looks unfocused
  window.__keyboard = { controls, props, look, before: controls.map(look), reached: new Set() };
  return controls.length;
}"""

# Called after each Tab: what has focus, and how it looks compared with before it had it.
FOCUSED = """() => {
  const k = window.__keyboard;
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return { out: true };
  const index = k.controls.indexOf(el);
  if (index >= 0 && k.reached.has(index)) return { done: true };  // round again
  k.reached.add(index);
  if (el.type === 'radio') {
    k.controls.forEach((other, i) => {
      if (other.type === 'radio' && other.name === el.name && other.form === el.form) {
        k.reached.add(i);
      }
    });
  }
  const name = (el.tagName.toLowerCase() + ' "' + (el.innerText || el.value || el.name
    || el.getAttribute('aria-label') || '').trim().slice(0, 40) + '"');
  if (index < 0) return { name, known: false };
  const before = k.before[index], now = k.look(el);
  const differs = (...ps) => ps.some((p) => before[p] !== now[p]);
  // What counts as a focus indicator: an outline, a shadow, a new background or a change
  // to a border that is drawn. A colour change on its own does not count.
  const drawn = (look, side) => look[`${side}-style`] !== 'none' && look[`${side}-width`] !== '0px';
  const indicators = {
    outline: drawn(now, 'outline') && (!drawn(before, 'outline')
      || differs('outline-style', 'outline-width', 'outline-color')),
    shadow: now['box-shadow'] !== 'none' && differs('box-shadow'),
    background: differs('background-color'),
    border: drawn(now, 'border-bottom') && differs('border-bottom-style', 'border-bottom-width',
      'border-bottom-color'),
  };
  const visible = Object.values(indicators).some(Boolean);
  return { name, known: true, visible, indicators };
}"""

UNREACHED = """() => {
  const k = window.__keyboard;
  return k.controls.filter((el, i) => !k.reached.has(i)).map((el) =>
    el.tagName.toLowerCase() + ' "' + (el.innerText || el.name || el.id).trim().slice(0, 40) + '"');
}"""


def tab_through(page, limit=400):
    """Press Tab until focus comes round again to a control it has been on (leaving the page
    for the browser's own controls on the way, when the page started with focus part-way
    down, as with autofocus); what had focus, in order."""
    stops = []
    outside = 0
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stop.get("done") or outside > 2:
            break
        if stop.get("out"):
            outside += 1
            continue
        outside = 0
        stops.append(stop)
    else:
        pytest.fail(f"focus never left the page after {limit} presses of Tab")
    return stops


@page_types
def test_keyboard_reaches_every_control_and_shows_where_focus_is(content, page, name):
    visit(page, name)
    page.wait_for_load_state("load")  # the glossary script has turned words into buttons
    count = page.evaluate(REMEMBER_CONTROLS)
    assert count > 0

    stops = tab_through(page)

    assert stops, "Tab never moved focus"
    assert page.evaluate(UNREACHED) == [], "controls Tab never reaches"
    invisible = [stop["name"] for stop in stops if stop["known"] and not stop["visible"]]
    assert invisible == [], "focus is not visible on these controls"
    assert stops[0]["name"].startswith('a "Skip to main content') or name == "admin-login"


# ---- Reflow and zoom --------------------------------------------------------------------

OVERFLOW = """() => {
  const root = document.documentElement;
  const clipped = [...document.querySelectorAll('h1, h2, h3')].filter((h) =>
    h.getClientRects().length && h.scrollWidth > h.clientWidth + 1
  ).map((h) => h.innerText.trim().slice(0, 60));
  return {
    scrollWidth: root.scrollWidth, clientWidth: root.clientWidth,
    hidden: [getComputedStyle(root).overflowX, getComputedStyle(document.body).overflowX]
      .filter((value) => value === 'hidden' || value === 'clip'),
    clippedHeadings: clipped,
  };
}"""


def assert_fits(page, label):
    found = page.evaluate(OVERFLOW)
    assert found["scrollWidth"] <= found["clientWidth"], f"{label}: scrolls sideways: {found}"
    assert found["hidden"] == [], f"{label}: sideways overflow is hidden, not fixed: {found}"
    assert found["clippedHeadings"] == [], f"{label}: headings wider than their box: {found}"
    heading = main_heading(page)
    expect(heading).to_be_visible()
    box = heading.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= found["clientWidth"] + 1, label


@page_types
def test_fits_320_px_without_sideways_scrolling_and_reads_at_200_percent_zoom(
    content, new_page, name
):
    # WCAG 1.4.10: a 1280 px window at 400% zoom is 320 CSS pixels wide.
    narrow = new_page(viewport={"width": 320, "height": 640})
    visit(narrow, name)
    assert_fits(narrow, "320 px")

    # WCAG 1.4.4: a 1280 x 800 window zoomed to 200%, as the browser does it.
    zoomed = new_page(viewport={"width": 640, "height": 400}, device_scale_factor=2)
    visit(zoomed, name)
    assert_fits(zoomed, "200% zoom")
