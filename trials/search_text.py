"""The text the trial finder's words are matched against: one narrow row per trial.

The trial table's rows are wide (each holds its rendered HTML), and a search with words runs
its condition in about five queries, so reading those rows for every one was most of a
search's time at 10,000 trials. ``TrialSearchText`` holds, for each trial, only what words
can match: the titles and summary (markdown source), the names and other names of its
published tumour sites and treatments, its drugs' generic and brand names, and its registry
numbers. They are stored as plain words (``trials.search.plain_words``: lower case, no
accents, no punctuation), so the finder's lookups are plain LIKEs with no case, accent or
word-boundary rules of their own, the same on SQLite and PostgreSQL.

``trials.signals`` keeps the rows in step with every save through the ORM; anything that
writes in bulk (bulk_create, loaddata, a restore) calls ``refresh()`` afterwards.
"""

from django.db import transaction
from django.db.models import Prefetch

from netinfo.models import Content
from trials.models import Trial, TrialSearchText
from trials.search import plain_words

PUBLISHED = Content.State.PUBLISHED
# Trials per round of queries: the ids go in an IN list, and SQLite allows 999 parameters.
BATCH_SIZE = 400


def document(
    *,
    title="",
    acronym="",
    official_title="",
    summary="",
    sites=(),
    treatments=(),
    drugs=(),
    identifiers=(),
):
    """The folded search text of one trial, from plain values: ``sites``, ``treatments``
    and ``drugs`` are the names (and other names) to find it by, ``identifiers`` its
    registry numbers as stored.

    Each line of each part is a line of plain words (``trials.search.plain_words``) with a
    space before and after, so that a whole word is `` word `` and a phrase never runs from
    one field or line into the next.
    """
    parts = (title, acronym, official_title, summary, *sites, *treatments, *drugs, *identifiers)
    lines = (plain_words(line) for part in parts for line in (part or "").splitlines())
    return "\n".join(f" {line} " for line in lines if line)


def text_of(trial):
    """``document()`` for a trial fetched by ``trials_for_text``."""
    return document(
        title=trial.title,
        acronym=trial.acronym,
        official_title=trial.official_title,
        summary=trial.summary,
        sites=[site.name for site in trial.sites.all()],
        treatments=[
            name
            for treatment in trial.treatments.all()
            for name in (treatment.name, treatment.other_names)
        ],
        drugs=[
            name for drug in trial.drugs.all() for name in (drug.generic_name, drug.brand_names)
        ],
        identifiers=[identifier.value for identifier in trial.identifiers.all()],
    )


def trials_for_text(trial_model):
    """The trials with only what ``text_of`` reads: unpublished tumour sites and treatments
    find nothing. Takes the model, so the data migration can pass its historical one."""

    def related(name, *fields, **published):
        model = trial_model._meta.get_field(name).related_model
        return Prefetch(name, queryset=model._base_manager.filter(**published).only(*fields))

    return trial_model._base_manager.only(
        "title", "acronym", "official_title", "summary"
    ).prefetch_related(
        related("sites", "name", state=PUBLISHED),
        related("treatments", "name", "other_names", state=PUBLISHED),
        related("drugs", "generic_name", "brand_names"),
        related("identifiers", "trial_id", "value"),
    )


def fill(trial_model, text_model, trial_ids=None):
    """Write the search text of these trials (every trial when None); returns how many.

    Six queries per ``BATCH_SIZE`` trials (the trials, four prefetches, one upsert), plus one
    for the ids when refreshing every trial. Trials that no longer exist are skipped.
    """
    if trial_ids is None:
        trial_ids = trial_model._base_manager.values_list("pk", flat=True)
    trials = trials_for_text(trial_model)
    count = 0
    with transaction.atomic():
        trial_ids = sorted(set(trial_ids))
        for start in range(0, len(trial_ids), BATCH_SIZE):
            ids = trial_ids[start : start + BATCH_SIZE]
            rows = [
                text_model(trial_id=trial.pk, text=text_of(trial))
                for trial in trials.filter(pk__in=ids)
            ]
            text_model._base_manager.bulk_create(
                rows, update_conflicts=True, unique_fields=["trial"], update_fields=["text"]
            )
            count += len(rows)
    return count


def refresh(trial_ids=None):
    """Rebuild the search text of the trials with these ids (every trial when None)."""
    return fill(Trial, TrialSearchText, trial_ids)
