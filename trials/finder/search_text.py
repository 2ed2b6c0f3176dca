"""Where each trial's search words are stored: one narrow row per trial, the one place.

The trial table's rows are wide (each holds its rendered HTML), and a search with words runs
its condition in about five queries, so reading those rows for every one was most of a
search's time at 10,000 trials. ``TrialSearchText`` holds, for each trial, only what words
can match: the titles and summary (markdown source), the names and other names of its
published tumour sites and treatments, its drugs' generic and brand names, and its registry
numbers. They are stored as plain words (``trials.finder.words.plain_words``: lower case, no
accents, no punctuation), so the finder's lookups are plain LIKEs with no case, accent or
word-boundary rules of their own, the same on SQLite and PostgreSQL.

The finder index reads these rows as they are (``stored``), so the words are worked out
once, here, and the index's copy is derived from them. ``trials.finder.signals`` keeps the
rows in step with every save through the ORM; anything that writes in bulk (bulk_create,
loaddata, a restore) calls ``refresh()`` afterwards.
"""

from collections import defaultdict

from django.db import transaction

from netinfo.models import Content, ContentStamp
from trials.finder.words import plain_words
from trials.models import Trial, TrialSearchText

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
    """The search text of one trial, from plain values: ``sites``, ``treatments`` and
    ``drugs`` are the names (and other names) to find it by, ``identifiers`` its registry
    numbers as stored.

    Each line of each part is a line of plain words (``plain_words``) with a
    space before and after, so that a whole word is `` word `` and a phrase never runs from
    one field or line into the next.
    """
    parts = (title, acronym, official_title, summary, *sites, *treatments, *drugs, *identifiers)
    lines = (plain_words(line) for part in parts for line in (part or "").splitlines())
    return "\n".join(f" {line} " for line in lines if line)


def _texts(trial_model, ids):
    """{trial id: search text} for the trials with these ids, in five queries of plain
    values. Takes the model, so the data migration can pass its historical one."""
    links = {
        "sites": ("sites", "tumoursite", ["name"]),
        "treatments": ("treatments", "treatment", ["name", "other_names"]),
        "drugs": ("drugs", "drug", ["generic_name", "brand_names"]),
    }
    names = {key: defaultdict(list) for key in (*links, "identifiers")}
    for key, (field, target, columns) in links.items():
        through = trial_model._meta.get_field(field).remote_field.through
        rows = through._base_manager.filter(trial_id__in=ids).order_by("pk")
        if key != "drugs":  # drugs have no state; draft sites and treatments find nothing
            rows = rows.filter(**{f"{target}__state": PUBLISHED})
        for trial_id, *values in rows.values_list("trial_id", *[f"{target}__{c}" for c in columns]):
            names[key][trial_id].extend(values)
    numbers = trial_model._meta.get_field("identifiers").related_model
    for trial_id, value in numbers._base_manager.filter(trial_id__in=ids).values_list(
        "trial_id", "value"
    ):
        names["identifiers"][trial_id].append(value)
    trials = trial_model._base_manager.filter(pk__in=ids).values_list(
        "pk", "title", "acronym", "official_title", "summary"
    )
    return {
        pk: document(
            title=title,
            acronym=acronym,
            official_title=official_title,
            summary=summary,
            **{key: found[pk] for key, found in names.items()},
        )
        for pk, title, acronym, official_title, summary in trials
    }


def fill(trial_model, text_model, trial_ids=None):
    """Write the search text of these trials (every trial when None); returns how many.

    Six queries per ``BATCH_SIZE`` trials (the trials, their four kinds of names, one
    upsert), plus one for the ids when refreshing every trial. Trials that no longer exist
    are skipped.
    """
    if trial_ids is None:
        trial_ids = trial_model._base_manager.values_list("pk", flat=True)
    count = 0
    with transaction.atomic():
        trial_ids = sorted(set(trial_ids))
        for start in range(0, len(trial_ids), BATCH_SIZE):
            texts = _texts(trial_model, trial_ids[start : start + BATCH_SIZE])
            text_model._base_manager.bulk_create(
                [text_model(trial_id=pk, text=text) for pk, text in texts.items()],
                update_conflicts=True,
                unique_fields=["trial"],
                update_fields=["text"],
            )
            count += len(texts)
    return count


def write_new(trial):
    """The search text of a trial just created, from its own words (nothing can link to it
    yet): the insert is the only query."""
    text = document(
        title=trial.title,
        acronym=trial.acronym,
        official_title=trial.official_title,
        summary=trial.summary,
    )
    TrialSearchText.objects.create(trial=trial, text=text)


def refresh(trial_ids=None):
    """Rebuild the search text of the trials with these ids (every trial when None), and
    mark the content as changed, for the finder index and the page cache."""
    count = fill(Trial, TrialSearchText, trial_ids)
    ContentStamp.touch()
    return count


def stored():
    """(trial id, search text) of every trial, as stored: what the finder index reads."""
    return TrialSearchText.objects.values_list("trial_id", "text")
