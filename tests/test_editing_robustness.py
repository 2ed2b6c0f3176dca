"""Nothing an editor types stops the site's editing, and two people saving at once never lose
an edit to a database error."""

import json
import subprocess
import sys

from django.conf import settings

from netinfo.models import GlossaryTerm
from tests.editorial import admin_url, changelist_url, errors_on, form_data
from tests.html import soup

pytest_plugins = ["tests.editorial_fixtures"]

LONG_FORM = "a very long way of writing the word " * 20  # 719 characters once stripped, on one line


# ---- A glossary term's other forms -------------------------------------------------------


def test_a_very_long_other_form_is_refused_with_a_clear_message_and_the_text_kept(
    editor_client,
):
    url = changelist_url(GlossaryTerm) + "add/"
    data = form_data(editor_client.get(url)) | {
        "term": "Somatostatin",
        "slug": "somatostatin",
        "other_forms": f"SST\n{LONG_FORM}",
        "definition": "A hormone that slows the release of other hormones.",
    }

    response = editor_client.post(url, data)

    assert response.status_code == 200
    errors = " ".join(errors_on(response))
    assert "at most 100 characters" in errors
    assert "This line has 719" in errors
    typed = soup(response).find("textarea", attrs={"name": "other_forms"}).get_text()
    assert LONG_FORM.strip() in typed
    assert not GlossaryTerm.objects.exists()


def test_too_many_other_forms_are_refused_with_a_clear_message(editor_client):
    url = changelist_url(GlossaryTerm) + "add/"
    data = form_data(editor_client.get(url)) | {
        "term": "Tumour",
        "slug": "tumour",
        "other_forms": "\n".join(f"tumour{number}" for number in range(41)),
        "definition": "A lump.",
    }

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "At most 40 other forms (41 given)" in " ".join(errors_on(response))
    assert not GlossaryTerm.objects.exists()


def test_a_long_form_already_stored_stops_no_save_and_can_be_fixed(
    editor_client, approver_client, make_term, make_page, django_capture_on_commit_callbacks
):
    """A form stored before the limit (or by a shell or an import) once made every save of
    every record answer 500, the term's own included."""
    term = make_term("Long word", forms=[LONG_FORM.strip()])
    page = make_page("About NETs", body="Start.", state="draft")  # an editor saves it directly

    data = form_data(editor_client.get(admin_url(page))) | {"body": f"Here is {LONG_FORM}."}
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(admin_url(page), data)
    assert response.status_code == 302
    shown = soup(editor_client.get(page.get_absolute_url() + "?preview"))
    assert shown.select_one("a.app-glossary[data-glossary='long-word']") is not None

    # The approver fixes the term: the save and the re-render of every page go through.
    data = form_data(approver_client.get(admin_url(term))) | {"other_forms": "long words"}
    with django_capture_on_commit_callbacks(execute=True):
        response = approver_client.post(admin_url(term), data)
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.forms == ["long words"]


# ---- Two saves at once -------------------------------------------------------------------


def test_two_editors_saving_one_page_at_once_on_sqlite_the_second_meets_the_edit_guard(
    site_database_file,
):
    """On a SQLite file (`make run`), the second of two overlapping saves once answered 500
    "database is locked" and lost its edit. Now it waits, then is refused with the first
    editor's changes and keeps its text, as on PostgreSQL."""
    run = subprocess.run(
        [sys.executable, "-m", "tests.concurrent_saves", str(site_database_file)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout.splitlines()[-1])

    assert result["first"]["status"] == 302, result
    assert result["second"]["status"] == 200, result
    errors = " ".join(result["second"]["errors"])
    assert "Not saved: First saved this page while you were editing it" in errors
    assert "They changed Body to “By first.”" in errors
    assert result["body"] == "By first."
