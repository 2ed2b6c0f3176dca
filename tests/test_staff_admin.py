"""The admin's lists and forms as a nurse meets them between clinics (issue 22)."""

import pytest

from tests.html import soup, text_of

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
