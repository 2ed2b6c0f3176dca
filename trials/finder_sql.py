"""The trial finder's search in SQL: what ``TrialFilter(data).qs`` runs.

The finder page answers from the in-memory index (``trials.finder_index``), which is fast;
this is the reference it must agree with, written with the ORM from the same rules and
never reading the index: ``tests/test_finder_agreement.py`` runs a few hundred random
searches through both and compares ids, order and counts.

Each function takes what the form cleaned and gives a condition (a ``Q``) on published
trials, or an ordering. Conditions on linked rows are ``pk__in`` subqueries, so a trial is
never repeated by a join.
"""

import math

from django.db.models import F, FloatField, Func, OuterRef, Q, Subquery, Value
from django.db.models.functions import ASin, Cos, Least, Power, Sin, Sqrt

from trials import search
from trials import status as trial_status
from trials.choices import ACTIVE_STATUSES
from trials.models import Identifier, Location, Trial, TrialSearchText
from trials.places import EARTH_RADIUS_MILES

NOTHING = Q(pk__in=[])
GRADE_FLAGS = {"g1": "accepts_g1", "g2": "accepts_g2", "g3": "accepts_g3", "nec": "accepts_nec"}
# A short name this long or longer, typed in a search, shows its trial whatever its status.
MIN_ACRONYM_LENGTH = 3
DEGREE = math.pi / 180.0  # as math.radians multiplies, so SQL and Python agree to the bit


def _trials(model, **conditions):
    return Q(pk__in=model.objects.filter(**conditions).values("trial_id"))


def words(parsed, published_site_ids):
    """Every slot of the parsed search words (``search.parse_query``) holds: a registry
    number exactly; a spelling of 4 letters or more anywhere in the trial's search text, a
    shorter one as a whole word (or with an s); or a tumour site the words name."""
    condition = Q()
    for slot in parsed.slots:
        if slot.identifiers:
            condition &= _trials(Identifier, value__in=slot.identifiers)
            continue
        text = NOTHING
        for form in dict.fromkeys(filter(None, map(search.plain_words, slot.alternatives))):
            if len(form) < search.MIN_SUBSTRING_LENGTH:
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
    ``search.plain_words`` does, is made in Python over those few."""
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
    return any(search.plain_words(acronym) in phrases for acronym in candidates)


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


def miles_from(latitude, longitude):
    """The great-circle distance in miles from a point to a place (``Location``), as
    ``trials.places.miles_between`` works it out, operation for operation."""
    phi1 = math.radians(latitude)
    phi2 = F("latitude") * DEGREE
    dphi = phi2 - Value(phi1)
    dlambda = (F("longitude") - Value(longitude)) * DEGREE
    a = Power(Sin(dphi / 2.0), 2) + Value(math.cos(phi1)) * Cos(phi2) * Power(Sin(dlambda / 2.0), 2)
    return Value(2 * EARTH_RADIUS_MILES) * ASin(Least(Value(1.0), Sqrt(a)))


def _recruiting_places():
    return Location.objects.filter(recruiting=True, latitude__isnull=False, longitude__isnull=False)


def within(town, miles):
    """Trials with a recruiting place within ``miles`` of the town."""
    places = _recruiting_places().alias(miles=miles_from(town.latitude, town.longitude))
    return Q(pk__in=places.filter(miles__lte=miles).values("trial_id"))


def nearest_miles(town):
    """The miles from the town to each trial's nearest recruiting place (None: none)."""
    places = (
        _recruiting_places()
        .filter(trial_id=OuterRef("pk"))
        .annotate(miles=miles_from(town.latitude, town.longitude))
        .order_by("miles")
        .values("miles")[:1]
    )
    return Subquery(places, output_field=FloatField())


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
