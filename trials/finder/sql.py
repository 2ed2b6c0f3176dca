"""The trial finder's search in SQL: what ``TrialFilter(data).qs`` runs.

The finder page answers from the in-memory index (``trials.finder.index``), which is fast;
this is the reference it must agree with, written with the ORM from the same rules and
never reading the index: ``tests/test_finder_agreement.py`` runs a few hundred random
searches through both and compares ids, order and counts.

Each function takes what the form cleaned and gives a condition (a ``Q``) on published
trials, or an ordering. Conditions on linked rows are ``pk__in`` subqueries, so a trial is
never repeated by a join.
"""

from django.db.models import F, Func, Q

from treatments.models import Grade
from trials import status as trial_status
from trials.choices import ACTIVE_STATUSES
from trials.finder.near import nearest_miles
from trials.finder.words import MIN_SUBSTRING_LENGTH, plain_words
from trials.models import Identifier, Location, Trial, TrialSearchText

NOTHING = Q(pk__in=[])
# The grade a trial accepts, by the grade's address slug: one flag column each.
GRADE_FLAGS = {
    Grade.G1.slug: "accepts_g1",
    Grade.G2.slug: "accepts_g2",
    Grade.G3.slug: "accepts_g3",
    Grade.NEC.slug: "accepts_nec",
}
# A short name this long or longer, typed in a search, shows its trial whatever its status.
MIN_ACRONYM_LENGTH = 3


def _trials(model, **conditions):
    return Q(pk__in=model.objects.filter(**conditions).values("trial_id"))


def words(parsed, published_site_ids):
    """Every slot of the parsed search words (``trials.finder.words.parse_query``) holds: a
    registry number exactly; a spelling of 4 letters or more anywhere in the trial's search
    text, a shorter one as a whole word (or with an s); or a tumour site the words name."""
    condition = Q()
    for slot in parsed.slots:
        if slot.identifiers:
            condition &= _trials(Identifier, value__in=slot.identifiers)
            continue
        text = NOTHING
        for form in dict.fromkeys(filter(None, map(plain_words, slot.alternatives))):
            if len(form) < MIN_SUBSTRING_LENGTH:
                text |= Q(text__contains=f" {form} ") | Q(text__contains=f" {form}s ")
            else:
                text |= Q(text__contains=form)
        found = Q(pk__in=TrialSearchText.objects.filter(text).values("trial_id"))
        sites = [pk for pk in slot.sites if pk in published_site_ids]
        if sites:
            found |= _trials(Trial.sites.through, tumoursite_id__in=sites)
        condition &= found
    return condition


def names_trial(phrases):
    """Whether a published trial's short name, as plain words, is one of ``phrases``. The
    database finds the few trials whose search text has such a line (the short name is a
    line of its own there); the exact comparison, which folds accents and punctuation as
    ``trials.finder.words.plain_words`` does, is made in Python over those few."""
    phrases = {phrase for phrase in phrases if len(phrase) >= MIN_ACRONYM_LENGTH}
    if not phrases:
        return False
    lines = Q()
    for phrase in phrases:
        line = f" {phrase} "
        lines |= Q(search_text__text__contains=f"\n{line}\n") | Q(search_text__text=line)
        lines |= Q(search_text__text__startswith=f"{line}\n")
        lines |= Q(search_text__text__endswith=f"\n{line}")
    candidates = Trial.objects.published().filter(lines).values_list("acronym", flat=True)
    return any(plain_words(acronym) in phrases for acronym in candidates)


def statuses(values, today=None):
    """The status a patient sees is one of ``values``: open and opening soon only when a
    registry check within ``TRIAL_STATUS_MAX_AGE_DAYS`` confirms it; ``unconfirmed`` for
    those no recent check confirms (``trials.status``)."""
    since = trial_status.confirmed_since(today)
    condition = NOTHING
    for value in values:
        if value == trial_status.UNCONFIRMED:
            stale = Q(registry_checked__isnull=True) | Q(registry_checked__lt=since)
            condition |= Q(status__in=ACTIVE_STATUSES) & stale
        elif value in ACTIVE_STATUSES:
            condition |= Q(status=value, registry_checked__gte=since)
        else:
            condition |= Q(status=value)
    return condition


def sites(site_ids):
    return _trials(Trial.sites.through, tumoursite_id__in=site_ids)


def grades(slugs):
    condition = NOTHING
    for slug in slugs:
        condition |= Q(**{GRADE_FLAGS[slug]: True})
    return condition


def treatments(treatment_ids):
    """Trials testing one of the treatments, or one of their drugs."""
    return _trials(Trial.treatments.through, treatment_id__in=treatment_ids) | _trials(
        Trial.drugs.through, drug__treatments__in=treatment_ids
    )


def regions(values):
    return _trials(Location, region__in=values)


class TitleKey(Func):
    """A title as it is sorted A to Z: letters A to Z in lower case, compared by code point
    (SQLite's own LOWER and order; on PostgreSQL the "C" collation does the same)."""

    function = "LOWER"
    output_field = Trial._meta.get_field("title")

    def __init__(self, expression="title"):
        super().__init__(expression)

    def as_postgresql(self, compiler, connection, **extra):
        # Inside: LOWER itself follows the collation (a database's "en_US" or "C.UTF-8"
        # would lower É too), and the order follows LOWER's.
        return super().as_sql(compiler, connection, template='LOWER(%(expressions)s COLLATE "C")')


def order(queryset, sort, town=None):
    """The trials in the finder's order ``sort`` ("nearest" needs a town)."""
    if sort == "nearest" and town is not None:
        queryset = queryset.annotate(nearest_miles=nearest_miles(town))
        return queryset.order_by(F("nearest_miles").asc(nulls_last=True), "-updated_at", "-pk")
    if sort == "title":
        return queryset.order_by(TitleKey(), "pk")
    if sort == "opening":
        return queryset.order_by(F("recruitment_start").desc(nulls_last=True), TitleKey(), "pk")
    return queryset.order_by("-updated_at", "-pk")


def title_key(title):
    """``TitleKey`` in Python: only A to Z are lowered."""
    return title.translate(_ASCII_LOWER)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
