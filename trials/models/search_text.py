"""The words the trial finder searches, one narrow row per trial (filled by
``trials.finder.search_text``)."""

from django.db import models


class TrialSearchText(models.Model):
    """The words the trial finder looks for, one narrow row per trial (see
    ``trials.finder.search_text``).

    The trial table's rows are wide (each holds its rendered HTML), so a word search over
    its text columns reads every one of them, several times a search. This table holds only
    what the words are matched against: the trial's titles and summary, the names of its
    published tumour sites and treatments, its drugs' names and its registry numbers, as
    plain words (lower case, no accents or punctuation). Kept in step by trials.finder.signals;
    rebuilt with ``trials.finder.search_text.refresh()`` after a bulk load that skips signals.
    """

    trial = models.OneToOneField(
        "Trial", primary_key=True, on_delete=models.CASCADE, related_name="search_text"
    )
    text = models.TextField()

    def __str__(self):
        return f"Search text of {self.trial_id}"
