"""Pending changes for every kind of record and by every admin path: a draft keeps today's
flow, restoring an old version or simple_history's revert form makes a pending change, the
approver sees only the boxes the editor changed, a treatment's rows wait too, and list
editing a published record is refused."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from netinfo.editorial.models import PendingChange
from tests import editorial
from tests.editorial import KIND_IDS, admin_url, changes_url, errors_on, form_data
from tests.html import soup, text_of
from tests.pending_forms import edit, review_url

pytest_plugins = ["tests.editorial_fixtures"]


@pytest.mark.parametrize("kind", KIND_IDS)
def test_every_kind_of_published_record_waits_for_review(
    client, editor_client, approver_client, make_record, kind
):
    from tests.editorial import CONTENT_KINDS

    field = next(k[3] for k in CONTENT_KINDS if k[2] == kind)
    record = make_record(kind)
    before = getattr(record, field)
    edit(editor_client, record, submit=False, **{field: "Words waiting for an approver."})
    record.refresh_from_db()
    assert getattr(record, field) == before
    assertNotContains(client.get(record.get_absolute_url()), "Words waiting for an approver.")
    assert PendingChange.objects.get().status == "editing"
    preview = approver_client.get(review_url(record, "preview/"))
    assertContains(preview, "Words waiting for an approver.")
    assertNotContains(client.get(record.get_absolute_url()), "Words waiting for an approver.")


def test_a_draft_keeps_todays_flow(editor_client, make_page):
    page = make_page("Work in progress", state="draft", body="Old.")
    response = edit(editor_client, page, submit=False, body="New.")
    assert not soup(response).find(id="pending-banner")
    page.refresh_from_db()
    assert page.body == "New."
    assert not PendingChange.objects.exists()


def test_an_editor_restoring_an_old_version_of_a_live_page_makes_a_pending_change(
    client, editor_client, approver_client, make_page
):
    page = make_page("Restored later", body="The checked words.")
    original = page.history.latest("history_date")
    editorial.edit(approver_client, page, body="A mistaken edit.")

    url = changes_url(page, original)
    response = editor_client.post(url, follow=True)
    assertContains(response, "saved as your change, not on the site yet")
    page.refresh_from_db()
    assert page.body == "A mistaken edit."
    assertContains(client.get(page.get_absolute_url()), "A mistaken edit.")
    body = soup(response).find("textarea", attrs={"name": "body"}).get_text()
    assert "The checked words." in body  # the form opens with the restored words

    edit(editor_client, page)
    approver_client.post(review_url(page, "publish/"))
    page.refresh_from_db()
    assert page.body == "The checked words."


def test_the_approver_sees_only_the_boxes_the_editor_changed(
    editor_client, approver_client, make_trial
):
    trial = make_trial("Two lines", summary="Old.", aims="Line one.\n\nLine two.")
    data = form_data(editor_client.get(admin_url(trial))) | {"summary": "New."}
    data["aims"] = data["aims"].replace("\n", "\r\n")  # as a browser sends a textarea
    data["_submit_for_review"] = "Submit for review"
    assert editor_client.post(admin_url(trial), data).status_code == 302
    rows = soup(approver_client.get(review_url(trial))).select(".app-admin-diff tbody th")
    assert [text_of(row) for row in rows] == ["Summary"]


def test_the_approver_sees_a_waiting_change_on_the_form_and_deleting_withdraws_it(
    editor_client, approver_client, make_page
):
    page = make_page("Waiting page", body="Live words.")
    edit(editor_client, page, body="Waiting words.")
    html = soup(approver_client.get(admin_url(page)))
    banner = html.find(id="pending-banner")
    assert "Edna has a change to this page: waiting for review" in text_of(banner)
    assert banner.find("a", string="Review the change")["href"] == review_url(page)
    assert "Live words." in html.find("textarea", attrs={"name": "body"}).get_text()

    # The approver's own save goes live; the review page then says the page changed since.
    data = form_data(approver_client.get(admin_url(page))) | {"summary": "A new summary."}
    assert approver_client.post(admin_url(page), data).status_code == 302
    assertContains(approver_client.get(review_url(page)), "has been saved since this change")

    approver_client.post(admin_url(page, "delete"), {"post": "yes"})
    assert PendingChange.objects.get().status == "withdrawn"
    assert not soup(approver_client.get("/admin/")).select("#dashboard-pending tbody th a")


def test_a_treatments_rows_wait_too(
    client, editor_client, approver_client, make_treatment, make_site, make_use
):
    site = make_site("Pancreas")
    treatment = make_treatment("Everolimus")
    make_use(treatment, site)
    assertContains(client.get(site.get_absolute_url()), "Everolimus")

    edit(editor_client, treatment, **{"uses-0-DELETE": "on"})
    assert treatment.uses.count() == 1
    assertContains(client.get(site.get_absolute_url()), "Everolimus")
    review = soup(approver_client.get(review_url(treatment)))
    row = next(
        r for r in review.select(".app-admin-diff tbody tr") if "Where it is used" in text_of(r)
    )
    assert "Pancreas" in text_of(row.find(class_="app-admin-diff__old"))
    assert "Row removed: Site: Pancreas" in text_of(row.find(class_="app-admin-diff__new"))
    assert text_of(row.th) == "Where it is used"

    approver_client.post(review_url(treatment, "publish/"))
    assert not treatment.uses.exists()
    assertNotContains(client.get(site.get_absolute_url()), "Everolimus")


def test_list_editing_a_published_record_is_refused_with_a_reason(editor_client, make_site):
    site = make_site("Pancreas", order=1)
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(site.pk),
        "form-0-order": "5",
        "_save": "Save",
    }
    response = editor_client.post("/admin/netinfo/tumoursite/", data)
    assert response.status_code == 200
    assert any("waits for an approver" in error for error in errors_on(response))
    site.refresh_from_db()
    assert site.order == 1


def test_simple_historys_revert_form_makes_a_pending_change_for_an_editor(
    client, editor_client, approver_client, make_page
):
    page = make_page("Reverted later", body="Before.")
    original = page.history.latest("history_date")
    editorial.edit(approver_client, page, body="After.")

    url = f"{admin_url(page, 'history')}{original.history_id}/"
    response = editor_client.post(url, form_data(editor_client.get(url)), follow=True)
    assertContains(response, "is saved but not on the site yet")
    page.refresh_from_db()
    assert page.body == "After."
    assert PendingChange.objects.get().data["body"] == ["Before."]
