"""The trial finder's words find what a trial is now: edits to a trial, its registry numbers,
and the tumour sites, treatments and drugs it links to show in the next search (see
trials.finder.search_text and trials.finder.signals)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.data_migrations import run_fill
from tests.html import soup, text_of


def finds(client, words):
    """The titles of the trials the finder lists for these words, any status. The page
    cache is left alone: links and registry numbers changed on their own (not with a save of
    the trial, as the admin does) change the content version too (netinfo.content_version)."""
    response = client.get("/trials/", {"q": words, "status": "all"})
    assert response.status_code == 200
    return {
        text_of(title).split(" (")[0] for title in soup(response).select(".app-trial-card__title")
    }


@pytest.mark.django_db
def test_renaming_a_treatment_changes_which_word_finds_its_trials(
    client, make_treatment, make_trial
):
    treatment = make_treatment("Sunitinib", other_names="Sutent")
    make_trial("A tablet for pancreatic NETs", treatments=[treatment])
    assert finds(client, "sunitinib") == {"A tablet for pancreatic NETs"}
    assert finds(client, "sutent") == {"A tablet for pancreatic NETs"}

    treatment.name = "Cabozantinib"
    treatment.other_names = "Cabometyx"
    treatment.save()

    assert finds(client, "sunitinib") == set()
    assert finds(client, "sutent") == set()
    assert finds(client, "cabozantinib") == {"A tablet for pancreatic NETs"}
    assert finds(client, "cabometyx") == {"A tablet for pancreatic NETs"}


@pytest.mark.django_db
def test_an_unpublished_tumour_site_or_treatment_no_longer_finds_trials(
    client, make_site, make_treatment, make_trial
):
    site = make_site("Appendix")
    treatment = make_treatment("Octreotide")
    make_trial("Surgery or scans", sites=[site], treatments=[treatment])
    assert finds(client, "appendix") == {"Surgery or scans"}
    assert finds(client, "octreotide") == {"Surgery or scans"}

    site.state = treatment.state = "draft"
    site.save()
    treatment.save()
    assert finds(client, "appendix") == set()
    assert finds(client, "octreotide") == set()

    site.state = "published"
    site.save()
    assert finds(client, "appendix") == {"Surgery or scans"}


@pytest.mark.django_db
def test_linking_and_unlinking_from_either_side_changes_what_finds_a_trial(
    client, make_site, make_trial
):
    rectum = make_site("Rectum")
    trial = make_trial("A scan study")
    assert finds(client, "rectum") == set()

    trial.sites.add(rectum)
    assert finds(client, "rectum") == {"A scan study"}
    rectum.trials.clear()
    assert finds(client, "rectum") == set()
    rectum.trials.add(trial)
    assert finds(client, "rectum") == {"A scan study"}
    trial.sites.remove(rectum)
    assert finds(client, "rectum") == set()


@pytest.mark.django_db
def test_a_deleted_tumour_site_no_longer_finds_its_trials(client, make_site, make_trial):
    site = make_site("Stomach")
    make_trial("Diet and NETs", sites=[site])
    assert finds(client, "stomach") == {"Diet and NETs"}

    site.delete()

    assert finds(client, "stomach") == set()


@pytest.mark.django_db
def test_a_drug_is_found_by_its_generic_and_brand_names(client, make_trial):
    from treatments.models import Drug

    drug = Drug.objects.create(
        generic_name="lanreotide", slug="lanreotide", brand_names="Somatuline Autogel"
    )
    trial = make_trial("Injections every 4 weeks")
    trial.drugs.add(drug)
    assert finds(client, "somatuline") == {"Injections every 4 weeks"}
    assert finds(client, "lanreotide") == {"Injections every 4 weeks"}

    drug.brand_names = "Mytolac"
    drug.save()

    assert finds(client, "somatuline") == set()
    assert finds(client, "mytolac") == {"Injections every 4 weeks"}


@pytest.mark.django_db
def test_a_registry_number_added_or_removed_changes_what_part_of_it_finds(client, make_trial):
    from trials.models import Identifier

    make_trial("A trial without a number yet")
    assert finds(client, "NCT0268") == set()

    number = Identifier.objects.create(
        trial=make_trial("A numbered trial"), kind="nct", value="NCT02683941"
    )
    # Part of a number is searched as a word; the whole number is looked up exactly.
    assert finds(client, "NCT0268") == {"A numbered trial"}
    assert finds(client, "NCT02683941") == {"A numbered trial"}

    number.delete()
    assert finds(client, "NCT0268") == set()


@pytest.mark.django_db
def test_accents_are_ignored_both_ways(client, make_trial):
    make_trial("Lanréotide après la chirurgie")
    make_trial("Lanreotide after surgery")
    both = {"Lanréotide après la chirurgie", "Lanreotide after surgery"}
    assert finds(client, "lanreotide") == both
    assert finds(client, "Lanréotide") == both
    assert finds(client, "APRES") == {"Lanréotide après la chirurgie"}


@pytest.mark.django_db
def test_editing_a_trial_changes_what_finds_it(client, make_trial):
    trial = make_trial("Exercise and NETs", summary="A walking programme.")
    assert finds(client, "walking") == {"Exercise and NETs"}

    trial.summary = "A swimming programme."
    trial.save()

    assert finds(client, "walking") == set()
    assert finds(client, "swimming") == {"Exercise and NETs"}


@pytest.mark.django_db
def test_deleting_a_trial_deletes_its_search_text(make_trial):
    from trials.models import Identifier, TrialSearchText

    trial = make_trial("A short-lived trial", identifiers=[("nct", "NCT01234567")])
    kept = make_trial("A trial that stays")
    assert TrialSearchText.objects.filter(trial=trial).exists()

    trial.delete()  # its registry numbers go with it, and must not write its row back

    assert list(TrialSearchText.objects.values_list("trial_id", flat=True)) == [kept.pk]
    assert not Identifier.objects.exists()


def _bulk_trials(count, start=0):
    from trials.models import Trial

    return Trial.objects.bulk_create(
        Trial(title=f"Bulk trial {number}", slug=f"bulk-{number}", state="published")
        for number in range(start, start + count)
    )


@pytest.mark.django_db
def test_refresh_fills_the_rows_that_bulk_create_skipped(client, make_site):
    from trials.finder.search_text import refresh
    from trials.models import Trial

    site = make_site("Lung")
    trials = _bulk_trials(3)
    Trial.sites.through.objects.bulk_create(
        Trial.sites.through(trial=trial, tumoursite=site) for trial in trials
    )
    assert finds(client, "lung") == set()

    assert refresh() == 3
    assert finds(client, "lung") == {"Bulk trial 0", "Bulk trial 1", "Bulk trial 2"}


@pytest.mark.django_db
def test_the_data_migration_fills_rows_with_the_historical_models(client, make_treatment):
    from trials.models import Trial

    treatment = make_treatment("Everolimus", other_names="Afinitor")
    trials = _bulk_trials(2)
    Trial.treatments.through.objects.bulk_create(
        Trial.treatments.through(trial=trial, treatment=treatment) for trial in trials
    )
    assert finds(client, "afinitor") == set()

    run_fill("trials", "0006_fill_trial_search_text")
    assert finds(client, "afinitor") == {"Bulk trial 0", "Bulk trial 1"}


@pytest.mark.django_db
def test_refresh_asks_as_many_queries_for_many_trials_as_for_few(
    make_site, make_treatment, django_assert_num_queries
):
    from netinfo.models import ContentStamp
    from trials.finder.search_text import refresh
    from trials.models import Trial

    site, treatment = make_site("Colon"), make_treatment("Capecitabine")
    few, many = _bulk_trials(2), _bulk_trials(300, start=2)
    for trial in [*few, *many]:
        Trial.sites.through.objects.create(trial=trial, tumoursite=site)
        Trial.treatments.through.objects.create(trial=trial, treatment=treatment)

    # A savepoint; sites, treatments, drugs, registry numbers, trials; the upsert; release;
    # the content stamp (so the finder index and cached pages are worked out again), whose
    # one row is made by the first change.
    ContentStamp.touch()
    with django_assert_num_queries(9):
        refresh([trial.pk for trial in few])
    with django_assert_num_queries(9):
        refresh([trial.pk for trial in many])


@pytest.mark.django_db
def test_saving_a_tumour_site_without_new_words_leaves_its_trials_alone(make_site, make_trial):
    site = make_site("Pancreas")
    make_trial("A trial for pancreatic NETs", sites=[site])

    site.summary = "NETs that start in the pancreas."
    with CaptureQueriesContext(connection) as queries:
        site.save()

    assert not [query for query in queries if "trialsearchtext" in query["sql"]]


@pytest.mark.django_db
def test_an_imported_trial_is_found_by_part_of_its_registry_number(client, tmp_path):
    import json

    from trials.models import Trial
    from trials.registry.importer import run_import
    from trials.registry.sources import file_sources

    record = {
        "protocolSection": {
            "identificationModule": {"nctId": "NCT90000001", "briefTitle": "Imported study"},
            "statusModule": {
                "overallStatus": "RECRUITING",
                "lastUpdatePostDateStruct": {"date": "2025-03-03", "type": "ACTUAL"},
            },
        }
    }
    path = tmp_path / "one.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    assert run_import(file_sources([path])).ok
    Trial.objects.update(state="published")  # imported trials wait as drafts

    assert finds(client, "NCT9000000") == {"Imported study"}


@pytest.mark.django_db
def test_a_short_word_is_found_whole_at_either_end_of_any_field(client, make_trial):
    make_trial("NEC after surgery")
    make_trial("Scans for people with NEC", acronym="CT-NEC")
    make_trial("A necessary study", summary="Genetic tests.")
    assert finds(client, "NEC") == {"NEC after surgery", "Scans for people with NEC"}
    assert finds(client, "CT") == {"Scans for people with NEC"}


@pytest.mark.django_db
def test_punctuation_between_words_does_not_matter(client, make_trial):
    make_trial("Scans and the Ki 67 index")
    make_trial("Lutetium-177 for small bowel NETs")
    assert finds(client, "Ki-67") == {"Scans and the Ki 67 index"}
    assert finds(client, "lutetium 177") == {"Lutetium-177 for small bowel NETs"}
