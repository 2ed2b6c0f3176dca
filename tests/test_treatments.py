"""Treatment options without the table of uses behind them: the list grouped by type with
drafts hidden, the grade explainer, and the address of a draft or unknown treatment. The
filters and search are in test_treatment_filters.py, one treatment's page and the admin in
test_treatment_page.py."""

from pytest_django.asserts import assertContains, assertNotContains

from tests.html import soup, text_of
from tests.treatment_options import names_listed


def test_list_groups_treatments_by_type_in_type_order(client, make_treatment):
    from treatments.models import TreatmentType

    make_treatment("Sunitinib", type_name="Targeted therapy", summary="Tablets that slow growth.")
    make_treatment("Surgery", type_name="Surgery")
    make_treatment("Everolimus", type_name="Targeted therapy")
    TreatmentType.objects.filter(name="Surgery").update(order=1)
    TreatmentType.objects.filter(name="Targeted therapy").update(order=3)

    response = client.get("/treatments/")

    html = soup(response)
    groups = [
        (text_of(section.h2), [text_of(h) for h in section.select(".app-card__heading")])
        for section in html.select(".app-treatments__group")
    ]
    assert groups == [("Surgery", ["Surgery"]), ("Targeted therapy", ["Everolimus", "Sunitinib"])]
    assertContains(response, "Tablets that slow growth.")


def test_list_hides_draft_treatments_and_types_with_only_drafts(client, make_treatment):
    make_treatment("Everolimus", type_name="Targeted therapy")
    make_treatment("New radioligand", type_name="Radioligand therapy", state="draft")

    response = client.get("/treatments/")

    assert names_listed(response) == ["Everolimus"]
    assertNotContains(response, "Radioligand therapy")
    assertNotContains(client.get("/treatments/?q=radioligand"), "New radioligand")


def test_list_explains_grades(client, db):
    response = client.get("/treatments/")

    explainer = text_of(soup(response).select_one(".app-treatments__grades"))
    assert "Ki-67" in explainer
    assert "below 3%" in explainer
    assert "3% to 20%" in explainer
    assert "above 20%" in explainer
    assert "poorly differentiated" in explainer


def test_editors_can_replace_the_grade_explainer_with_a_page(client, make_page):
    make_page("What the grade means", slug="grades", body="Grade is about *growth speed*.")

    response = client.get("/treatments/")

    explainer = soup(response).select_one(".app-treatments__grades")
    assert explainer.find("em", string="growth speed")
    assert "Ki-67 below 3%" not in text_of(explainer)


def test_draft_treatment_is_not_found_by_the_public_but_staff_can_preview(
    client, make_treatment, admin_client
):
    make_treatment("Secret new drug", state="draft")

    assert client.get("/treatments/secret-new-drug/").status_code == 404
    response = admin_client.get("/treatments/secret-new-drug/")
    assertContains(response, "This page is a draft")


def test_unknown_treatment_is_a_404(client, db):
    assert client.get("/treatments/no-such-thing/").status_code == 404
