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
