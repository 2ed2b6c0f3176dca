"""What the site-wide search (``sitesearch``, at /search/) finds among trials: the trial
finder's own search (trials.finder.words: spellings, synonyms, registry numbers), of any status,
from the finder index."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse

from trials.finder.filters import TrialFilter
from trials.models import Trial

FIELDS = ("title", "acronym", "slug", "status", "summary_sentence", "registry_checked")


@dataclass
class TrialHits:
    count: int = 0
    trials: list = field(default_factory=list)  # the first few, most recently updated first
    finder_url: str = ""  # the same search in the trial finder
    only_trial_url: str = ""  # a registry number that names one trial: go straight there
    query: object = None  # what was typed, as the finder read it (trials.finder.words.ParsedQuery)


def find(text, limit=5):
    query = QueryDict(mutable=True)
    query.update({"q": text, "status": "all"})
    finder = TrialFilter(query)
    if not finder.query.slots:
        return TrialHits(query=finder.query)
    pairs = {"q": finder.query.text[:200], "status": "all"}
    url = f"{reverse('trials:list')}?{urlencode(pairs)}"
    hits = TrialHits(count=finder.count, finder_url=url, query=finder.query)
    if not finder.count:
        return hits
    ids = finder.index.page(finder.matches, "updated", 0, limit)
    trials = sorted(
        Trial.objects.filter(pk__in=ids).only(*FIELDS).with_registry(),
        key=lambda trial: ids.index(trial.pk),
    )
    if finder.query.is_identifier and finder.count == 1:
        hits.only_trial_url = trials[0].get_absolute_url()
    hits.trials = trials
    return hits
