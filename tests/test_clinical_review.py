"""Clinical sign-off: a clinical reviewer records a review (name, role, date, what was
checked) from a record's edit page; the public page shows it, and a page no clinician has
checked says so near its top."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from netinfo.editorial import workflow
from netinfo.editorial.models import ClinicalReview
from tests.editorial import KIND_IDS, admin_url, errors_on, form_data, staff
from tests.html import soup, text_of

pytest_plugins = ["tests.editorial_fixtures"]

NOTICE = "Not yet checked by a clinician."


@pytest.fixture
def clinician_client(db):
    client = Client()
    client.force_login(staff("cleo", workflow.CLINICAL_REVIEWER, last_name="Patel"))
    return client


def review_url(record):
    return admin_url(record, "clinical-review")


def sign_off(client, record, **fields):
    data = {
        "reviewer_name": "Dr Cleo Patel",
        "reviewer_role": "Consultant medical oncologist",
        "reviewed_on": "2026-03-03",
        "checked": "Every fact on the page against the ENETS guidance.",
    } | fields
    return client.post(review_url(record), data)


def review_text(client, record):
    html = soup(client.get(record.get_absolute_url())).find(class_="app-review")
    return text_of(html).replace(" ,", ",")


def notice(client, record):
    main = soup(client.get(record.get_absolute_url())).find("main")
    box = main.find(class_="app-clinical-notice")
    return main, box


@pytest.mark.parametrize("kind", KIND_IDS)
def test_a_page_no_clinician_has_checked_says_so_before_anything_else(client, make_record, kind):
    record = make_record(kind)
    main, box = notice(client, record)
    assert box is not None and text_of(box).startswith(NOTICE)
    assert main.find("h1").find_previous(class_="app-clinical-notice") is box  # above the title


@pytest.mark.parametrize("kind", KIND_IDS)
def test_a_clinical_reviewer_signs_off_a_page_and_the_page_shows_it(
    client, clinician_client, make_record, kind
):
    record = make_record(kind)
    edit_page = soup(clinician_client.get(admin_url(record)))
    link = edit_page.find("a", string="Record a clinical review")
    assert link["href"] == review_url(record)
    form = form_data(clinician_client.get(review_url(record)))
    assert form["reviewer_name"] == "Cleo Patel"  # their name, to correct if needed
    assert form["reviewed_on"] == timezone.localdate().isoformat()

    response = sign_off(clinician_client, record)

    assert response.status_code == 302
    assert response["Location"] == admin_url(record)
    main, box = notice(client, record)
    assert box is None
    review = review_text(client, record)
    assert (
        "Checked by a clinician: 3 March 2026, by Dr Cleo Patel, Consultant medical oncologist"
        in review
    )
    assert "What they checked: Every fact on the page against the ENETS guidance." in review
    assert "has been updated" not in review


def test_the_latest_review_is_shown_and_every_review_is_kept(client, clinician_client, make_page):
    page = make_page("Reviewed twice")
    sign_off(clinician_client, page, reviewed_on="2025-01-10", reviewer_name="Dr First")
    sign_off(clinician_client, page, reviewed_on="2026-02-20", reviewer_name="Dr Second")
    review = review_text(client, page)
    assert "20 February 2026, by Dr Second" in review and "Dr First" not in review
    listed = soup(clinician_client.get(review_url(page))).select("#clinical-reviews tbody tr")
    assert [text_of(row.th) for row in listed] == ["20 February 2026", "10 January 2025"]


def test_editors_and_approvers_cannot_record_a_clinical_review(
    editor_client, approver_client, make_page
):
    page = make_page("Not theirs to sign")
    for client in (editor_client, approver_client):
        edit_page = soup(client.get(admin_url(page)))
        assert not edit_page.find("a", string="Record a clinical review")
        assert "No clinician has checked this page yet" in text_of(edit_page)
        assert "Only members of the “Clinical reviewer” role" in text_of(
            soup(client.get(review_url(page)))
        )
        assert sign_off(client, page).status_code == 403
    assert not ClinicalReview.objects.exists()


def test_a_clinical_reviewer_is_an_approver_who_also_signs_off(db):
    from django.contrib.auth.models import Group

    clinician = staff("cleo", workflow.CLINICAL_REVIEWER)
    assert Group.objects.filter(name="Clinical reviewer").exists()
    assert clinician.has_perm("netinfo.add_clinicalreview")
    for action in ("view", "change", "publish", "delete"):
        assert clinician.has_perm(f"trials.{action}_trial")
    assert not clinician.has_perm("netinfo.delete_clinicalreview")  # the record is kept
    for role in (workflow.EDITOR, workflow.APPROVER):
        other = staff(role.split()[-1], role)
        assert other.has_perm("netinfo.view_clinicalreview")
        assert not other.has_perm("netinfo.add_clinicalreview")


def test_a_review_dated_in_the_future_is_refused_with_a_message(clinician_client, make_page):
    page = make_page("Future")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = sign_off(clinician_client, page, reviewed_on=tomorrow.isoformat(), checked="")
    assert response.status_code == 200
    errors = errors_on(response)
    assert "The date of the review cannot be in the future." in errors
    assert "This field is required." in errors
    assert not ClinicalReview.objects.exists()


def test_the_page_says_when_its_words_changed_after_the_clinical_review(
    client, clinician_client, approver_client, make_page
):
    page = make_page("Changing", body="Checked words.", state="draft")
    sign_off(clinician_client, page)
    data = form_data(approver_client.get(admin_url(page)))
    assert approver_client.post(admin_url(page), data | {"state": "published"}).status_code == 302
    review = review_text(client, page)
    assert "has been updated" not in review  # publishing does not change the words

    data = form_data(approver_client.get(admin_url(page)))
    assert approver_client.post(admin_url(page), data | {"body": "New words."}).status_code == 302

    review = review_text(client, page)
    assert "this page has been updated. A clinician has not checked the new words yet." in review
    assert "The words of this page have changed since that review" in text_of(
        soup(clinician_client.get(admin_url(page)))
    )


def test_a_new_review_shows_at_once_on_a_cached_page(client, clinician_client, make_page):
    page = make_page("Cached")
    assert NOTICE in client.get(page.get_absolute_url()).content.decode()
    assert NOTICE in client.get(page.get_absolute_url()).content.decode()  # from the cache
    sign_off(clinician_client, page)
    assert NOTICE not in client.get(page.get_absolute_url()).content.decode()


@pytest.mark.parametrize("kind", KIND_IDS)
def test_the_review_costs_one_query_whether_or_not_there_is_one(
    client, clinician_client, make_record, kind, django_assert_num_queries
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    record = make_record(kind)
    url = record.get_absolute_url()
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as unreviewed:
        client.get(url)
    queries = [query["sql"] for query in unreviewed.captured_queries]  # before the next request
    # The content version (which includes the reviews' latest change) and the review itself.
    assert sum("netinfo_clinicalreview" in sql for sql in queries) == 2
    sign_off(clinician_client, record)
    cache.clear()
    with django_assert_num_queries(len(queries)):
        client.get(url)
