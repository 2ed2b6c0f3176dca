"""Editing trials in the admin, as a member of clinical staff with only trial permissions."""

import datetime

import pytest
from django.contrib.auth.models import Permission, User
from django.utils import timezone

from tests.html import soup, text_of
from trials.models import Trial

ADD_URL = "/admin/trials/trial/add/"
LIST_URL = "/admin/trials/trial/"

TRIAL_PERMISSIONS = [
    ("trials", "add_trial"),
    ("trials", "change_trial"),
    ("trials", "view_trial"),
    *(
        ("trials", f"{action}_{model}")
        for model in ("identifier", "location", "publication")
        for action in ("add", "change", "delete", "view")
    ),
]


def staff_user(username, *, is_staff=True, permissions=TRIAL_PERMISSIONS):
    user = User.objects.create_user(username, password="pw", is_staff=is_staff)
    for app_label, codename in permissions:
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


@pytest.fixture
def trial_editor(db):
    return staff_user("nurse", is_staff=True)


@pytest.fixture
def editor_client(client, trial_editor):
    client.force_login(trial_editor)
    return client


def change_url(trial):
    return f"/admin/trials/trial/{trial.pk}/change/"


def form_data(response):
    """What a browser would send for the trial form as it stands on the page."""
    form = soup(response).find("form", id="trial_form")
    data = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.name == "input" and field.get("type") == "submit":
            continue
        if field.name == "textarea":
            data[name] = field.get_text()
        elif field.name == "select":
            chosen = [
                o.get("value", "") for o in field.find_all("option") if o.has_attr("selected")
            ]
            if field.has_attr("multiple"):
                data[name] = chosen
            else:
                data[name] = chosen[0] if chosen else ""
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        else:
            data[name] = field.get("value", "")
    return data


def field_errors(response, name):
    """The error messages shown next to one field (a field's row, or an inline's cell)."""
    html = soup(response)
    messages = []
    for container in html.select(f".field-{name}"):
        messages += [text_of(li) for li in container.select(".errorlist li")]
    return messages


@pytest.mark.django_db
def test_a_trial_editor_can_add_a_trial_with_hospitals_publications_and_numbers(
    editor_client, make_site
):
    pancreas = make_site("Pancreas", slug="pancreas")
    page = editor_client.get(ADD_URL)
    assert page.status_code == 200

    data = form_data(page)
    data.update(
        {
            "title": "A trial of a new tablet for pancreas NETs",
            "acronym": "TAB-NET",
            "slug": "tab-net",
            "status": "open",
            "phase": "2",
            "sites": [str(pancreas.pk)],
            "summary": "This trial tests a new tablet.",
            "recruitment_start": "2024-03-01",
            "recruitment_start_precision": "month",
            "identifiers-0-kind": "nct",
            "identifiers-0-value": "nct 0268 3941",
            "locations-0-name": "Royal Free Hospital",
            "locations-0-town": "London",
            "locations-0-region": "london",
            "publications-TOTAL_FORMS": "1",
            "publications-0-authors": "T Meyer and others",
            "publications-0-title": "A paper",
        }
    )
    response = editor_client.post(ADD_URL, data)

    assert response.status_code == 302, field_errors(response, "value")
    trial = Trial.objects.get(slug="tab-net")
    assert trial.state == "draft", "an editor without publishing rights makes drafts"
    assert list(trial.sites.all()) == [pancreas]
    assert [i.value for i in trial.identifiers.all()] == ["NCT02683941"]
    assert [loc.name for loc in trial.locations.all()] == ["Royal Free Hospital"]
    assert [p.title for p in trial.publications.all()] == ["A paper"]
    assert trial.recruitment_start_display == "March 2024"


@pytest.mark.django_db
def test_a_trial_editor_can_change_a_trial(editor_client, make_trial):
    # A draft: an editor's change to a published trial waits for review (test_pending.py).
    trial = make_trial("Old title", identifiers=[("nct", "NCT02683941")], state="draft")
    page = editor_client.get(change_url(trial))
    assert page.status_code == 200

    data = form_data(page)
    data["title"] = "New title"
    data["identifiers-0-value"] = "NCT02683942"
    response = editor_client.post(change_url(trial), data)

    assert response.status_code == 302
    trial.refresh_from_db()
    assert trial.title == "New title"
    assert [i.value for i in trial.identifiers.all()] == ["NCT02683942"]


@pytest.mark.django_db
def test_the_form_follows_the_order_of_the_page(editor_client):
    html = soup(editor_client.get(ADD_URL))

    headings = [text_of(h) for h in html.select("fieldset.module > h2, fieldset.module summary")]
    order = [
        "Title and status",
        "Who it is for and what it tests",
        "What patients read",
        "Who can take part",
        "What happens in the trial",
        "What the trial found",
        "Recruitment dates and size",
        "How to join: contact details",
        "Who runs the trial",
        "Registry information (technical)",
        "Ethics approval",
        "Review and sources",
    ]
    assert [h for h in headings if h in order] == order
    inlines = [text_of(h) for h in html.select(".inline-group h2")]
    assert inlines[:3] == [
        "Hospitals taking part",
        "Publications (shown as “More detailed information”)",
        "Registry numbers (NCT, EudraCT, EU CT, ISRCTN, IRAS)",
    ]


@pytest.mark.django_db
def test_fields_carry_help_written_for_clinical_staff(editor_client):
    html = soup(editor_client.get(ADD_URL))

    summary_help = text_of(html.find(id="id_summary_helptext"))
    assert "Write this as you would explain it to a patient." in summary_help
    start_help = text_of(html.find(id="id_recruitment_start_helptext"))
    assert "If you only know the month, enter the 1st of that month" in start_help


@pytest.mark.django_db
def test_sites_treatments_and_drugs_are_chosen_by_autocomplete(editor_client):
    html = soup(editor_client.get(ADD_URL))

    for name in ("sites", "treatments", "drugs"):
        assert "admin-autocomplete" in html.find("select", attrs={"name": name})["class"]


@pytest.mark.django_db
def test_autocomplete_finds_sites_for_an_editor_who_may_view_them(client, make_site):
    make_site("Pancreas", slug="pancreas")
    make_site("Lung", slug="lung")
    user = staff_user(
        "viewer", is_staff=True, permissions=[*TRIAL_PERMISSIONS, ("netinfo", "view_tumoursite")]
    )
    client.force_login(user)

    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "trials", "model_name": "trial", "field_name": "sites", "term": "pan"},
    )

    assert [r["text"] for r in response.json()["results"]] == ["Pancreas"]


@pytest.mark.django_db
def test_a_refused_save_keeps_everything_the_editor_typed(editor_client, make_site):
    pancreas = make_site("Pancreas", slug="pancreas")
    data = form_data(editor_client.get(ADD_URL))
    data.update(
        {
            "title": "A carefully written title",
            "slug": "careful",
            "status": "open",
            "phase": "2",
            "sites": [str(pancreas.pk)],
            "summary": "Three paragraphs of careful writing.",
            "contact_email": "not an email",
            "identifiers-0-kind": "nct",
            "identifiers-0-value": "NCT123",
        }
    )

    response = editor_client.post(ADD_URL, data)

    assert response.status_code == 200
    assert not Trial.objects.exists()
    assert field_errors(response, "contact_email") == ["Enter a valid email address."]
    again = form_data(response)
    assert again["title"] == "A carefully written title"
    assert again["summary"].strip() == "Three paragraphs of careful writing."
    assert again["sites"] == [str(pancreas.pk)]
    assert again["identifiers-0-value"] == "NCT123"
    assert again["contact_email"] == "not an email"


@pytest.mark.django_db
def test_someone_who_is_not_staff_cannot_reach_the_trial_admin(client, make_trial):
    trial = make_trial("A trial")
    client.force_login(staff_user("visitor", is_staff=False))

    for url in (LIST_URL, ADD_URL, change_url(trial)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    response = client.post(ADD_URL, {"title": "Sneaky", "slug": "sneaky"})
    assert response.status_code == 302
    assert not Trial.objects.filter(slug="sneaky").exists()


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(ADD_URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_staff_without_trial_permissions_cannot_add_or_change(client, make_trial):
    trial = make_trial("A trial")
    client.force_login(staff_user("other", is_staff=True, permissions=[]))

    assert client.get(ADD_URL).status_code == 403
    assert client.get(change_url(trial)).status_code == 403


@pytest.mark.django_db
def test_the_list_shows_what_an_editor_needs(editor_client, make_trial, make_site):
    today = timezone.localdate()
    make_trial(
        "Pancreas trial",
        acronym="PAN",
        status="open",
        phase="3",
        sites=[make_site("Pancreas", slug="pancreas")],
        last_reviewed=today - datetime.timedelta(days=400),
        next_review_due=today - datetime.timedelta(days=35),
    )

    html = soup(editor_client.get(LIST_URL))

    columns = [text_of(th) for th in html.select("#result_list thead th")]
    for column in (
        "Plain-English title",
        "Acronym",
        "Status",
        "Phase",
        "Tumour sites",
        "Last reviewed",
        "Next review due",
    ):
        assert column in columns
    row = text_of(html.select_one("#result_list tbody tr"))
    assert "Pancreas trial" in row
    assert "Open to new patients" in row
    assert "Phase 3" in row
    assert "Pancreas" in row
    assert "(overdue)" in row


@pytest.mark.django_db
def test_the_list_filters_by_status_phase_site_and_review(editor_client, make_trial, make_site):
    today = timezone.localdate()
    lung = make_site("Lung", slug="lung")
    make_trial(
        "Overdue",
        status="closed",
        phase="2",
        sites=[lung],
        next_review_due=today - datetime.timedelta(days=1),
    )
    make_trial(
        "Due soon", status="open", phase="3", next_review_due=today + datetime.timedelta(days=10)
    )
    make_trial(
        "Fine", status="open", phase="3", next_review_due=today + datetime.timedelta(days=200)
    )

    def titles(**params):
        html = soup(editor_client.get(LIST_URL, params))
        return sorted(text_of(a) for a in html.select("#result_list tbody th a"))

    assert titles(status__exact="closed") == ["Overdue"]
    assert titles(phase__exact="3") == ["Due soon", "Fine"]
    assert titles(sites__id__exact=lung.pk) == ["Overdue"]
    assert titles(review="overdue") == ["Overdue"]
    assert titles(review="soon") == ["Due soon"]


@pytest.mark.django_db
def test_the_list_search_finds_titles_and_registry_numbers(editor_client, make_trial):
    make_trial("Lanreotide and CTCs", acronym="CALM-NET", identifiers=[("nct", "NCT02683941")])
    make_trial("Something else", identifiers=[("iras", "1006904")])

    def titles(q):
        html = soup(editor_client.get(LIST_URL, {"q": q}))
        return [text_of(a) for a in html.select("#result_list tbody th a")]

    assert titles("NCT02683941") == ["Lanreotide and CTCs"]
    assert titles("1006904") == ["Something else"]
    assert titles("calm-net") == ["Lanreotide and CTCs"]
    assert titles("lanreotide") == ["Lanreotide and CTCs"]


@pytest.mark.django_db
def test_view_on_site_opens_the_trial_page(editor_client, make_trial):
    trial = make_trial("A draft trial", state="draft")

    html = soup(editor_client.get(change_url(trial)))
    link = html.find("a", class_="viewsitelink")
    response = editor_client.get(link["href"])

    assert response.status_code == 302
    assert response["Location"].endswith(trial.get_absolute_url())
    preview = editor_client.get(trial.get_absolute_url())
    assert preview.status_code == 200, "staff who can edit a draft can preview it"
    assert "This page is a draft" in preview.content.decode()
