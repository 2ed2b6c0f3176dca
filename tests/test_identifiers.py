"""Registry numbers: validated with clear messages, tidied, unique across trials, linked out."""

import pytest
from django.core.exceptions import ValidationError

from tests.html import soup, text_of
from tests.test_trial_admin import change_url, field_errors, form_data, staff_user
from trials.models import Identifier, Trial

ACCEPTED = [
    # (kind, as typed, as stored)
    ("nct", "NCT02683941", "NCT02683941"),
    ("nct", "nct 0268 3941", "NCT02683941"),
    ("nct", "02683941", "NCT02683941"),
    ("eudract", "2022-003575-42", "2022-003575-42"),
    ("eudract", "EudraCT number: 2022-003575-42", "2022-003575-42"),
    ("eudract", "2022\u2013003575\u201342", "2022-003575-42"),  # en dashes pasted from Word
    ("euct", "2023-503456-12-00", "2023-503456-12-00"),
    ("euct", " 2023-503456-12-00 ", "2023-503456-12-00"),
    ("isrctn", "ISRCTN12345678", "ISRCTN12345678"),
    ("isrctn", "isrctn 12345678", "ISRCTN12345678"),
    ("iras", "1006904", "1006904"),
    ("iras", "IRAS ID: 1006904", "1006904"),
    ("iras", "12345", "12345"),
]

REJECTED = [
    # (kind, as typed, part of the message)
    ("nct", "NCT1234567", "NCT followed by 8 digits"),
    ("nct", "NCT123456789", "NCT followed by 8 digits"),
    ("nct", "ISRCTN12345678", "NCT followed by 8 digits"),
    ("eudract", "2022-03575-42", "year-6 digits-2 digits"),
    ("eudract", "2023-503456-12-00", "year-6 digits-2 digits"),
    ("eudract", "NCT02683941", "year-6 digits-2 digits"),
    ("euct", "2022-003575-42", "year-6 digits-2 digits-2 digits"),
    ("euct", "2023-503456-12-0", "year-6 digits-2 digits-2 digits"),
    ("isrctn", "ISRCTN1234567", "ISRCTN followed by 8 digits"),
    ("isrctn", "NCT02683941", "ISRCTN followed by 8 digits"),
    ("iras", "IRAS-1006904X", "4 to 7 digits"),
    ("iras", "123", "4 to 7 digits"),
    ("iras", "12345678", "4 to 7 digits"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "typed", "stored"), ACCEPTED)
def test_each_registry_format_is_accepted_and_tidied(make_trial, kind, typed, stored):
    identifier = Identifier(trial=make_trial("A trial"), kind=kind, value=typed)

    identifier.full_clean()

    assert identifier.value == stored


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "typed", "expected"), REJECTED)
def test_each_registry_format_is_rejected_with_what_it_should_look_like(
    make_trial, kind, typed, expected
):
    identifier = Identifier(trial=make_trial("A trial"), kind=kind, value=typed)

    with pytest.raises(ValidationError) as error:
        identifier.full_clean()

    [message] = error.value.message_dict["value"]
    assert message.startswith("This is not a valid ")
    assert expected in message


@pytest.mark.django_db
def test_a_number_another_trial_has_is_refused_naming_that_trial(make_trial):
    make_trial("First trial", acronym="FIRST", identifiers=[("nct", "NCT02683941")])
    second = make_trial("Second trial")

    with pytest.raises(ValidationError) as error:
        Identifier(trial=second, kind="nct", value="nct02683941").full_clean()

    assert error.value.message_dict == {
        "value": [
            "Another trial already has this registry number: First trial (FIRST). "
            "Check you have typed it correctly."
        ]
    }


@pytest.mark.django_db
def test_the_database_refuses_duplicates_too(make_trial):
    make_trial("First", identifiers=[("nct", "NCT02683941")])
    second = make_trial("Second")

    with pytest.raises(ValidationError) as error:
        Identifier(trial=second, kind="nct", value="NCT02683941").validate_constraints()

    assert error.value.messages == ["Another trial already has this registry number."]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "value", "url"),
    [
        ("nct", "NCT02683941", "https://clinicaltrials.gov/study/NCT02683941"),
        ("isrctn", "ISRCTN12345678", "https://www.isrctn.com/ISRCTN12345678"),
        (
            "eudract",
            "2022-003575-42",
            "https://www.clinicaltrialsregister.eu/ctr-search/search?query=2022-003575-42",
        ),
        (
            "euct",
            "2023-503456-12-00",
            "https://euclinicaltrials.eu/search-for-clinical-trials/?lang=en&EUCT=2023-503456-12-00",
        ),
        (
            "iras",
            "1006904",
            "https://www.hra.nhs.uk/planning-and-improving-research/"
            "application-summaries/research-summaries/?query=1006904",
        ),
    ],
)
def test_each_number_links_to_its_public_registry_page(client, make_trial, kind, value, url):
    trial = make_trial("Linked", identifiers=[(kind, value)])

    html = soup(client.get(trial.get_absolute_url()))

    assert html.find("a", href=url, string=value)


# Through the admin, as an editor would meet them.


@pytest.fixture
def editor_client(client, db):
    client.force_login(staff_user("nurse"))
    return client


@pytest.mark.django_db
def test_the_admin_shows_a_bad_number_next_to_the_field_and_keeps_it(editor_client, make_trial):
    trial = make_trial("A trial")
    data = form_data(editor_client.get(change_url(trial)))
    data.update(
        {"title": "Edited title", "identifiers-0-kind": "nct", "identifiers-0-value": "NCT0268394"}
    )

    response = editor_client.post(change_url(trial), data)

    assert response.status_code == 200
    assert field_errors(response, "value") == [
        "This is not a valid ClinicalTrials.gov (NCT) number. It should be NCT followed by "
        "8 digits, e.g. NCT02683941."
    ]
    again = form_data(response)
    assert again["identifiers-0-value"] == "NCT0268394"
    assert again["title"] == "Edited title"
    trial.refresh_from_db()
    assert trial.title == "A trial", "nothing is saved when the save is refused"
    assert not trial.identifiers.exists()


@pytest.mark.django_db
def test_the_admin_refuses_a_number_another_trial_has(editor_client, make_trial):
    make_trial("CALM-NET study", identifiers=[("nct", "NCT02683941")])
    trial = make_trial("Another study")
    data = form_data(editor_client.get(change_url(trial)))
    data.update({"identifiers-0-kind": "nct", "identifiers-0-value": " nct02683941"})

    response = editor_client.post(change_url(trial), data)

    assert response.status_code == 200
    assert field_errors(response, "value") == [
        "Another trial already has this registry number: CALM-NET study. "
        "Check you have typed it correctly."
    ]
    assert form_data(response)["identifiers-0-value"] == " nct02683941"
    assert Identifier.objects.count() == 1


@pytest.mark.django_db
def test_the_admin_refuses_the_same_number_twice_in_one_save(editor_client, make_trial):
    trial = make_trial("A trial")
    data = form_data(editor_client.get(change_url(trial)))
    data.update(
        {
            "identifiers-TOTAL_FORMS": "2",
            "identifiers-0-kind": "nct",
            "identifiers-0-value": "NCT02683941",
            "identifiers-1-kind": "nct",
            "identifiers-1-value": "nct 02683941",  # the same number, typed differently
        }
    )

    response = editor_client.post(change_url(trial), data)

    assert response.status_code == 200
    errors = [text_of(li) for li in soup(response).select(".inline-group .errorlist li")]
    assert "You have entered the same registry number twice. Remove one of them." in errors
    assert not Identifier.objects.exists()


@pytest.mark.django_db
def test_the_admin_saves_a_number_tidied(editor_client, make_trial):
    trial = make_trial("A trial", state="draft")  # a published one's change waits for review
    data = form_data(editor_client.get(change_url(trial)))
    data.update({"identifiers-0-kind": "isrctn", "identifiers-0-value": "isrctn 1234 5678"})

    response = editor_client.post(change_url(trial), data)

    assert response.status_code == 302
    assert [i.value for i in Trial.objects.get().identifiers.all()] == ["ISRCTN12345678"]
