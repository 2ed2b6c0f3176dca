"""Places as data: each hospital's town, UK nation or region (from a fixed list), country,
recruiting flag, position and source; imports fill them from ClinicalTrials.gov, keep the
places staff added, and every place change is in the history (issue 18 item 5)."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.data_migrations import run_fill
from tests.test_trial_admin import change_url, field_errors, form_data, staff_user
from trials.models import Location, Trial

DATA = Path(__file__).parent / "data" / "ctgov"
EDGE = DATA / "edge_recruiting_eu_ids.json"

pytestmark = pytest.mark.django_db


def import_file(path):
    call_command("import_ctgov", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Trial.objects.get(identifiers__value="NCT99999901")


def places(trial):
    return {
        place.name: (place.town, place.region, place.recruiting, place.source)
        for place in trial.locations.all()
    }


def test_an_import_fills_positions_regions_and_marks_the_places_as_the_registrys():
    trial = import_file(EDGE)
    london = trial.locations.get(name="Royal Test Hospital")
    assert (london.latitude, london.longitude) == (51.5, -0.12)  # the registry's geoPoint
    assert places(trial) == {
        "Royal Test Hospital": ("London", "london", True, "registry"),
        "Northern Test Infirmary": ("Leeds", "yorkshire", False, "registry"),
        "Welsh Test Hospital": ("Cardiff", "wales", False, "registry"),
        "Glasgow": ("Glasgow", "scotland", False, "registry"),
    }
    leeds = trial.locations.get(name="Northern Test Infirmary")
    # No geoPoint in the record: the town's position, from the UK towns list.
    assert round(leeds.latitude, 2) == 53.80 and round(leeds.longitude, 2) == -1.55


def test_a_reimport_keeps_staff_places_replaces_the_registrys_and_keeps_history(tmp_path):
    trial = import_file(EDGE)
    Location.objects.create(trial=trial, name="Christie Hospital", town="Manchester")
    corrected = trial.locations.get(name="Welsh Test Hospital")
    corrected.recruiting, corrected.source = True, Location.Source.STAFF
    corrected.save()

    record = json.loads(EDGE.read_text(encoding="utf-8"))
    module = record["protocolSection"]["contactsLocationsModule"]
    module["locations"] = [loc for loc in module["locations"] if loc.get("city") != "Glasgow"]
    record["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = "2024-03-30"
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps(record), encoding="utf-8")
    trial = import_file(newer)

    assert places(trial) == {
        "Royal Test Hospital": ("London", "london", True, "registry"),
        "Northern Test Infirmary": ("Leeds", "yorkshire", False, "registry"),
        "Welsh Test Hospital": ("Cardiff", "wales", True, "staff"),  # staff's, not doubled
        "Christie Hospital": ("Manchester", "north-west", True, "staff"),
    }
    glasgow = Location.history.filter(trial_id=trial.pk, name="Glasgow")
    assert sorted(glasgow.values_list("history_type", flat=True)) == ["+", "-"]
    removal = glasgow.get(history_type="-")
    assert removal.history_change_reason == "Imported from ClinicalTrials.gov"

    # Importing the same record again changes no place.
    before = Location.history.count()
    import_file(newer)
    assert Location.history.count() == before


@pytest.fixture
def editor_client(client):
    client.force_login(staff_user("nurse"))
    return client


def test_staff_add_a_place_by_town_and_correct_a_registry_place_in_the_admin(editor_client):
    trial = import_file(EDGE)
    data = form_data(editor_client.get(change_url(trial)))
    rows = {data[f"locations-{i}-name"]: i for i in range(4)}
    data.update(
        {
            f"locations-{rows['Northern Test Infirmary']}-recruiting": "on",
            "locations-4-name": "St James's University Hospital",
            "locations-4-town": "Leeds",
            "locations-4-country": "United Kingdom",
            "locations-4-recruiting": "on",
        }
    )
    response = editor_client.post(change_url(trial), data)
    assert response.status_code == 302, field_errors(response, "name")

    added = trial.locations.get(name="St James's University Hospital")
    assert (added.region, added.source) == ("yorkshire", "staff")
    assert round(added.latitude, 1) == 53.8  # from the town
    corrected = trial.locations.get(name="Northern Test Infirmary")
    assert (corrected.recruiting, corrected.source) == (True, "staff")

    history = editor_client.get(f"/admin/trials/trial/{trial.pk}/history/")
    assert "Changes to the hospitals" in history.text
    assert "St James&#x27;s University Hospital, Leeds" in history.text
    assert "nurse" in history.text


def test_the_admin_offers_regions_from_a_fixed_list_and_refuses_free_text(editor_client):
    trial = import_file(EDGE)
    data = form_data(editor_client.get(change_url(trial)))
    data.update({"locations-4-name": "A hospital", "locations-4-region": "Greater London"})
    response = editor_client.post(change_url(trial), data)
    assert response.status_code == 200
    assert field_errors(response, "region") == [
        "Select a valid choice. Greater London is not one of the available choices."
    ]
    options = [o.get_text() for o in form_soup_options(response, "locations-0-region")]
    assert options[:3] == ["---------", "North East England", "North West England"]


def form_soup_options(response, name):
    from tests.html import soup

    return soup(response).find("select", attrs={"name": name}).find_all("option")


def test_the_data_migration_maps_free_text_regions_where_it_can(make_trial):
    trial = make_trial("A trial")
    rows = [
        ("Royal Free Hospital", "London", "Greater London", "United Kingdom"),
        ("Christie", "Manchester", "", "United Kingdom"),
        ("Beatson", "Glasgow", "scotland", "UK"),
        ("Mayo Clinic", "Rochester", "Minnesota", "United States"),
        ("Somewhere", "Nowhere-on-Sea", "Atlantis", "United Kingdom"),
    ]
    Location.objects.bulk_create(
        Location(trial=trial, name=name, town=town, region=region, country=country)
        for name, town, region, country in rows
    )
    run_fill("trials", "0013_fill_location_regions")
    found = {
        place.name: (place.region, place.state, place.latitude is not None)
        for place in trial.locations.all()
    }
    assert found == {
        "Royal Free Hospital": ("london", "Greater London", True),
        "Christie": ("north-west", "", True),
        "Beatson": ("scotland", "", True),
        "Mayo Clinic": ("", "Minnesota", False),  # outside the UK: kept as written, no region
        "Somewhere": ("", "Atlantis", False),  # not a place we know: staff choose
    }


def test_the_trial_page_groups_places_by_nation_or_region(client, make_trial):
    trial = make_trial("A trial", status="open")
    Location.objects.create(trial=trial, name="Beatson", town="Glasgow")
    Location.objects.create(
        trial=trial, name="Mayo Clinic", town="Rochester", state="Minnesota", country="USA"
    )
    response = client.get(trial.get_absolute_url())
    assert '<h4 class="app-trial-page__region">Scotland</h4>' in response.text
    assert "Minnesota, USA" in response.text
