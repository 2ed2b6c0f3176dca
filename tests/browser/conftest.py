"""Real-browser tests: Playwright drives Debian's Chromium (apt-get install chromium).

Without Chromium the browser tests are skipped on a developer's machine, with a message
saying how to install it; in CI (CI=true) a missing browser is a failure.

Every test here runs against pytest-django's ``live_server`` with the real starting content
(fixtures/*.json) loaded by the ``content`` fixture. Screenshots of every page type go to
screenshots/<database>/ (ignored by git; BROWSER_SCREENSHOTS=<folder> to change it), not to
test-results/, which pytest-playwright empties at the start of every pytest run.
"""

import io
import os
import shutil
from pathlib import Path

import pytest

from tests.browser.sizes import DESKTOP, PHONE

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("BROWSER_SCREENSHOTS") or ROOT / "screenshots")


#: WCAG 2.0, 2.1 and 2.2, levels A and AA: the rules axe-core tags for them.
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
#: And a few of axe's "best practice" rules that Lighthouse scores too: screen-reader users
#: find their way by headings and landmarks.
EXTRA_RULES = ("heading-order", "empty-heading", "landmark-one-main", "skip-link")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    ours = [item for item in items if here in Path(str(item.fspath)).parents]
    for item in ours:
        item.add_marker(pytest.mark.browser)
        # In a parallel run (pytest -n --dist loadgroup) they share one process: one live
        # server, one browser and one copy of the content, as in a run without -n.
        item.add_marker(pytest.mark.xdist_group("browser"))
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"Chromium is missing at {CHROMIUM}; CI must install it.")
    skip = pytest.mark.skip(reason="Chromium not found: apt-get install chromium")
    for item in ours:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": CHROMIUM_FLAGS,
    }


@pytest.fixture(scope="session")
def base_url(live_server):
    """pytest-playwright resolves page.goto("/trials/") against this."""
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, base_url):
    return {**browser_context_args, "base_url": base_url, "viewport": DESKTOP, "locale": "en-GB"}


@pytest.fixture
def new_page(browser, base_url):
    """Open a page in a fresh browser context of its own, e.g. a phone or no JavaScript."""
    contexts = []

    def open_page(**options):
        context = browser.new_context(base_url=base_url, locale="en-GB", **options)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def phone_page(new_page):
    """A 375 px wide phone with a touch screen."""
    return new_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)


# ---- The real content -------------------------------------------------------------------


CONTENT_APPS = ("netinfo", "treatments", "trials")


@pytest.fixture(scope="session")
def _content_snapshot():
    """The first test's freshly loaded content, kept for the tests after it."""
    return []


def _copy_content(objects):
    """Insert deserialized records as they are (no save(), no signals, no auto_now), a
    model at a time, then their many-to-many rows."""
    from django.core.management.color import no_style
    from django.db import connection, transaction

    by_model = {}
    for item in objects:
        by_model.setdefault(type(item.object), []).append(item)
    with transaction.atomic(), connection.constraint_checks_disabled():
        for model, items in by_model.items():
            fields = model._meta.local_concrete_fields
            rows = [item.object for item in items]
            size = connection.ops.bulk_batch_size(fields, rows) or len(rows)
            for start in range(0, len(rows), size):
                model._base_manager._insert(rows[start : start + size], fields=fields, raw=True)
            for field in model._meta.local_many_to_many:
                through = field.remote_field.through
                source = f"{field.m2m_field_name()}_id"
                target = f"{field.m2m_reverse_field_name()}_id"
                through._base_manager.bulk_create(
                    through(**{source: item.object.pk, target: pk})
                    for item in items
                    for pk in item.m2m_data.get(field.name, ())
                )
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(by_model)):
                cursor.execute(sql)


@pytest.fixture
def content(live_server, transactional_db, _content_snapshot):
    """The real starting content, in the database the live server reads.

    live_server tests are transactional: the database is emptied after each test. Running
    ``load_content`` renders every page's markdown (seconds), and even ``loaddata`` saves
    one record at a time, so the first test runs load_content and keeps a copy of what it
    made (rendered HTML included); later tests insert that copy in bulk (~0.1 s).
    """
    from django.core import serializers
    from django.core.management import call_command

    if not _content_snapshot:
        call_command("load_content", verbosity=0, stdout=io.StringIO())
        dump = io.StringIO()
        call_command("dumpdata", *CONTENT_APPS, stdout=dump, verbosity=0)
        _content_snapshot.extend(serializers.deserialize("json", dump.getvalue()))
    else:
        _copy_content(_content_snapshot)
    return live_server


# ---- Checks -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def assert_no_axe_violations(axe):
    """Run axe-core's WCAG 2.2 A and AA rules (and EXTRA_RULES) on the page as it is now."""

    def check(page, label=""):
        options = {
            "runOnly": {"type": "tag", "values": list(WCAG_TAGS)},
            "rules": {rule: {"enabled": True} for rule in EXTRA_RULES},
            "resultTypes": ["violations"],
        }
        results = axe.run(page, options=options)
        violations = results.response["violations"]
        assert not violations, f"{label} {page.url}\n" + results.generate_report()
        return results

    return check


@pytest.fixture(scope="session")
def screenshot_dir(pytestconfig, django_db_setup):
    """screenshots/sqlite/ or screenshots/postgresql/, emptied once per run."""
    from django.db import connection

    folder = SCREENSHOTS / connection.vendor
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    pytestconfig.stash[screenshots_key] = folder
    return folder


screenshots_key = pytest.StashKey[Path]()


def pytest_terminal_summary(terminalreporter, config):
    folder = config.stash.get(screenshots_key, None)
    if folder:
        count = len(list(folder.glob("*.png")))
        terminalreporter.write_line(f"Browser screenshots ({count}): {folder}")


@pytest.fixture
def screenshot(screenshot_dir):
    """Save a full-page PNG named <name>-<width>.png for a person to look at."""

    def take(page, name, full_page=True):
        width = page.viewport_size["width"]
        path = screenshot_dir / f"{name}-{width}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take
