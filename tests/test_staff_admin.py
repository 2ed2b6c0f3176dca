"""The admin's lists and forms as a nurse meets them between clinics (issue 22)."""

import pytest

from tests.html import soup, text_of

pytest_plugins = ["tests.editorial_fixtures"]

GLOSSARY_LIST = "/admin/netinfo/glossaryterm/"


def listed_terms(response):
    return [text_of(cell) for cell in soup(response).select("#result_list th.field-term")]


@pytest.fixture
def side_terms(make_term):
    make_term("Side effect", definition="An unwanted effect of a treatment.")
    make_term("Bedside test", definition="A test done where you are.")
    make_term("Nausea", definition="Feeling sick. A common side effect of chemotherapy.")
    make_term("Fatigue", definition="Tiredness that rest does not help. A side effect.")


@pytest.mark.django_db
def test_glossary_search_finds_terms_by_name_not_by_definition(admin_client, side_terms):
    response = admin_client.get(GLOSSARY_LIST, {"q": "side"})
    assert listed_terms(response) == ["Bedside test", "Side effect"]


@pytest.mark.django_db
def test_glossary_search_in_definitions_when_asked_puts_names_first(admin_client, side_terms):
    response = admin_client.get(GLOSSARY_LIST, {"q": "side", "search_in": "definitions"})
    assert listed_terms(response) == ["Bedside test", "Side effect", "Fatigue", "Nausea"]


@pytest.mark.django_db
def test_glossary_search_matches_other_forms(admin_client, make_term):
    make_term("Ki-67", forms=("Ki67", "MIB-1"), definition="A measure of cell growth.")
    make_term("Grade", definition="How fast cells grow, from the Ki-67 index.")
    assert listed_terms(admin_client.get(GLOSSARY_LIST, {"q": "MIB"})) == ["Ki-67"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "button, address",
    [
        ("_save", "/admin/netinfo/glossaryterm/"),
        ("_continue", "/admin/netinfo/glossaryterm/{pk}/change/"),
        ("_addanother", "/admin/netinfo/glossaryterm/add/"),
    ],
)
def test_saving_a_term_added_from_the_meters_link_leaves_a_clean_address(
    admin_client, button, address
):
    from netinfo.models import GlossaryTerm

    add = "/admin/netinfo/glossaryterm/add/?term=subcutaneous&slug=subcutaneous"
    fields = {"term": "Subcutaneous", "slug": "subcutaneous", "definition": "Under the skin."}
    response = admin_client.post(add, {**fields, "state": "draft", button: "1"})
    term = GlossaryTerm.objects.get(slug="subcutaneous")
    assert response["Location"] == address.format(pk=term.pk)


# ---- A trial's web address -----------------------------------------------------------------


def add_trial(client, **fields):
    from tests.test_trial_admin import ADD_URL, form_data

    data = form_data(client.get(ADD_URL)) | {"status": "unknown", "phase": "2", "slug": ""}
    return client.post(ADD_URL, data | fields)


@pytest.mark.django_db
def test_a_new_trial_with_a_short_name_gets_it_as_its_address(admin_client):
    from trials.models import Trial

    title = "CABO-PNET: cabozantinib tablets for pancreatic NETs that are growing"
    response = add_trial(admin_client, title=title, acronym="CABO-PNET", state="published")
    assert response.status_code == 302
    trial = Trial.objects.get(acronym="CABO-PNET")
    assert trial.slug == "cabo-pnet"
    assert admin_client.get("/trials/cabo-pnet/").status_code == 200


@pytest.mark.django_db
def test_a_new_trial_without_a_short_name_gets_a_few_words_of_its_title(admin_client, make_trial):
    from trials.models import Trial

    make_trial("Taken", slug="lutetium-dotatate-small-bowel-nets-spread")
    title = "Lutetium dotatate for small bowel NETs that have spread to the liver and bones"
    assert add_trial(admin_client, title=title).status_code == 302
    slug = Trial.objects.get(title=title).slug
    assert slug == "lutetium-dotatate-small-bowel-nets-spread-2"


@pytest.mark.django_db
def test_a_slug_typed_by_the_editor_is_kept(admin_client):
    from trials.models import Trial

    add_trial(admin_client, title="A trial", acronym="ABC", slug="my-own-address")
    assert Trial.objects.get(acronym="ABC").slug == "my-own-address"


@pytest.mark.django_db
def test_after_a_slug_changes_the_old_address_leads_to_the_trial(admin_client, client):
    from tests.test_trial_admin import change_url, form_data

    add_trial(admin_client, title="Old name trial", acronym="OLD-NET", state="published")
    from trials.models import Trial

    trial = Trial.objects.get(acronym="OLD-NET")
    data = form_data(admin_client.get(change_url(trial))) | {"slug": "new-net"}
    assert admin_client.post(change_url(trial), data).status_code == 302

    response = client.get("/trials/old-net/")
    assert response.status_code == 301
    assert response["Location"] == "/trials/new-net/"
    assert client.get("/trials/new-net/").status_code == 200
    assert client.get("/trials/never-was/").status_code == 404


@pytest.mark.django_db
def test_an_old_address_of_a_draft_trial_is_still_a_404_to_the_public(client, make_trial):
    trial = make_trial("Hidden", slug="hidden-old", state="draft")
    trial.slug = "hidden-new"
    trial.save()
    assert client.get("/trials/hidden-old/").status_code == 404


# ---- People and roles ------------------------------------------------------------------------

USER_ADD = "/admin/auth/user/add/"


@pytest.mark.django_db
def test_a_colleague_is_added_with_a_role_in_one_form_and_invited_by_email(admin_client, client):
    import re

    from django.contrib.auth.models import User
    from django.core import mail

    form = soup(admin_client.get(USER_ADD))
    labels = [text_of(label) for label in form.select("#id_role label")]
    assert any(label.startswith("Content editor: Writes and changes pages") for label in labels)
    assert not form.select("input[type=password]"), "nobody types a password for someone else"

    response = admin_client.post(
        USER_ADD,
        {
            "first_name": "Nia",
            "last_name": "Jones",
            "email": "Nia.Jones@nhs.net",
            "role": "Content editor",
        },
    )
    assert response.status_code == 302
    nurse = User.objects.get(email="nia.jones@nhs.net")
    assert nurse.is_staff and not nurse.is_superuser
    assert [group.name for group in nurse.groups.all()] == ["Content editor"]
    assert not nurse.has_usable_password()

    (invitation,) = mail.outbox
    assert invitation.to == ["nia.jones@nhs.net"]
    assert "Content editor" in invitation.body
    link = re.search(r"http://testserver(/admin/password/\S+)", invitation.body).group(1)

    # The link lets Nia choose a password, then sign in with her email address.
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    password = "a long pass phrase 4 NETs"
    done = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"new_password1": password, "new_password2": password},
    )
    assert done.status_code == 302
    assert client.login(username="nia.jones@nhs.net", password=password)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_the_people_list_shows_each_persons_role(admin_client, django_user_model):
    from django.contrib.auth.models import Group

    nurse = django_user_model.objects.create_user("n@nhs.net", first_name="Nia", is_staff=True)
    nurse.groups.add(Group.objects.get(name="Content approver"))
    rows = soup(admin_client.get("/admin/auth/user/")).select("#result_list tbody tr")
    roles = {
        text_of(row.select_one(".field-username")): text_of(row.select_one(".field-role"))
        for row in rows
    }
    assert roles["n@nhs.net"] == "Content approver"


@pytest.mark.django_db
def test_adding_someone_twice_says_so_and_keeps_what_was_typed(admin_client, django_user_model):
    django_user_model.objects.create_user("nia.jones@nhs.net", email="nia.jones@nhs.net")
    response = admin_client.post(
        USER_ADD, {"first_name": "Nia", "email": "NIA.JONES@nhs.net", "role": "Content editor"}
    )
    assert response.status_code == 200
    assert "already has an account" in response.content.decode()
    assert soup(response).select_one("#id_first_name")["value"] == "Nia"


@pytest.mark.django_db
def test_the_login_page_offers_a_forgotten_password_link(client):
    assert "/admin/password/" in client.get("/admin/login/").content.decode()


class RefusingMailBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("Connection refused")


@pytest.mark.django_db
def test_when_the_mail_server_is_down_the_admin_gets_the_link_to_pass_on(admin_client, settings):
    settings.EMAIL_BACKEND = "tests.test_staff_admin.RefusingMailBackend"
    response = admin_client.post(
        USER_ADD,
        {"first_name": "Sam", "email": "sam@nhs.net", "role": "Content approver"},
        follow=True,
    )
    text = response.content.decode()
    assert "could not be sent" in text
    assert "/admin/password/" in text


@pytest.mark.django_db
def test_the_trial_list_shows_when_each_status_was_last_checked(admin_client, make_trial):
    import datetime

    make_trial("Checked", status="open", registry_checked=datetime.date(2026, 3, 3))
    make_trial("Unchecked", status="open", registry_checked=None)
    html = soup(admin_client.get("/admin/trials/trial/?o=1"))
    checked = {
        text_of(row.select_one(".field-title")): text_of(row.select_one(".field-registry_check"))
        for row in html.select("#result_list tbody tr")
    }
    assert checked == {"Checked": "3 Mar 2026", "Unchecked": "Never checked"}


@pytest.mark.django_db
def test_every_content_list_shows_a_waiting_change(client, make_trial, make_page, editor):
    from netinfo.editorial import pending
    from netinfo.models import Page
    from trials.models import Trial

    trial = make_trial("Waiting trial", status="open")
    make_trial("Quiet trial")
    page = make_page("Waiting page")
    pending.save(trial, editor, {"title": "New"}, ["title"], submit=True)
    pending.save(page, editor, {"title": "New"}, ["title"])
    client.force_login(editor)
    for model, record, status in (
        (Trial, trial, "Waiting for review"),
        (Page, page, "Saved, not yet submitted for review"),
    ):
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        rows = soup(client.get(url)).select("#result_list tbody tr")
        shown = {
            text_of(row.select_one("th, td.field-title, td.field-name")): text_of(
                row.select_one(".field-pending_change")
            )
            for row in rows
        }
        assert shown[str(record)] == status, shown
    trials = soup(client.get("/admin/trials/trial/")).select("#result_list tbody tr")
    quiet = [row for row in trials if "Quiet trial" in text_of(row)][0]
    assert text_of(quiet.select_one(".field-pending_change")) == "\u2013"
