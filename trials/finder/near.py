"""Near a town: how far each trial's nearest recruiting place is from it, in memory for the
page (``NearIndex``, part of the finder index) and in SQL for ``TrialFilter.qs``
(``within``, ``nearest_miles``). Both use the same great-circle sum as
``trials.places.miles_between``, operation for operation, so they agree to the bit.

The town itself is found by ``trials.places.find_town``; the finder asks for it.
"""

import math
from dataclasses import dataclass

from django.db.models import F, FloatField, OuterRef, Q, Subquery, Value
from django.db.models.functions import ASin, Cos, Least, Power, Sin, Sqrt
from pyroaring import FrozenBitMap

from trials.models import Location
from trials.places import EARTH_RADIUS_MILES, miles_between

DEGREE = math.pi / 180.0  # as math.radians multiplies, so SQL and Python agree to the bit


def recruiting_places():
    """The places taking people whose position we know."""
    return Location.objects.filter(recruiting=True, latitude__isnull=False, longitude__isnull=False)


# ---- In memory, for the page ----


def recruiting_rows():
    """What ``NearIndex`` is built from: the ``recruiting_places()`` as (trial id, latitude,
    longitude, hospital, town), by trial."""
    return (
        recruiting_places()
        .order_by("trial_id", "pk")
        .values_list("trial_id", "latitude", "longitude", "name", "town")
    )


@dataclass(frozen=True)
class Place:
    name: str
    town: str


def _point(latitude, longitude):
    """Where a position is on a sphere of radius 1, as (x, y, z)."""
    phi, lam = math.radians(latitude), math.radians(longitude)
    return math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi)


class NearIndex:
    """Where trials are taking people: every recruiting place with a position, of every
    published trial, and the distance from a town to each trial's nearest one.

    A town's distances are worked out over all the places once per index (a few µs a
    place in Python) and remembered, so paging through a search near
    Leeds, or counting each option with it, costs a dictionary look-up.
    """

    MAX_REMEMBERED = 200  # towns; then it starts again

    def __init__(self, rows):
        # (trial id, latitude, longitude, hospital, town) rows, positions in degrees.
        self.rows = rows
        self.trials = [row[0] for row in rows]
        self.latitudes = [row[1] for row in rows]
        self.longitudes = [row[2] for row in rows]
        points = [_point(row[1], row[2]) for row in rows]
        self.xs, self.ys, self.zs = ([point[axis] for point in points] for axis in range(3))
        self._found = {}

    def __len__(self):
        return len(self.trials)

    def distances(self, latitude, longitude):
        """{trial id: (miles to its nearest recruiting place, that place's number)}."""
        key = (round(latitude, 4), round(longitude, 4))
        found = self._found.get(key)
        if found is None:
            if len(self._found) >= self.MAX_REMEMBERED:
                self._found.clear()
            found = self._measure(latitude, longitude)
            self._found[key] = found
        return found

    def _measure(self, lat0, lon0):
        """Each trial's nearest place by the straight line through the earth to it (a few
        multiplications a place, with each place's point worked out once per index): the
        shorter that chord, the shorter the great-circle distance, so the nearest place is
        exactly the one an exact distance to every place would give. Then the great-circle
        distance to that one place. (A flat-earth guess, used before, picked the wrong
        hospital when two were within a few per cent of the same distance: a trial 225.3
        miles from Truro was shown as 225.7.)"""
        x0, y0, z0 = _point(lat0, lon0)
        nearest = {}
        get = nearest.get
        for i, (trial, x, y, z) in enumerate(
            zip(self.trials, self.xs, self.ys, self.zs, strict=True)
        ):
            dx, dy, dz = x - x0, y - y0, z - z0
            chord = dx * dx + dy * dy + dz * dz
            best = get(trial)
            if best is None or chord < best[0]:
                nearest[trial] = (chord, i)
        latitudes, longitudes = self.latitudes, self.longitudes
        return {
            trial: (miles_between(lat0, lon0, latitudes[i], longitudes[i]), i)
            for trial, (_, i) in nearest.items()
        }

    def place(self, number):
        row = self.rows[number]
        return Place(row[3], row[4])

    def within(self, latitude, longitude, miles):
        """The trials with a recruiting place within ``miles``, as a bitmap (remembered)."""
        key = ("within", round(latitude, 4), round(longitude, 4), miles)
        found = self._found.get(key)
        if found is None:
            distances = self.distances(latitude, longitude)
            found = FrozenBitMap(t for t, (away, _) in distances.items() if away <= miles)
            self._found[key] = found
        return found


# ---- In SQL, for TrialFilter.qs ----


def miles_from(latitude, longitude):
    """The great-circle distance in miles from a point to a place (``Location``), as
    ``trials.places.miles_between`` works it out, operation for operation."""
    phi1 = math.radians(latitude)
    phi2 = F("latitude") * DEGREE
    dphi = phi2 - Value(phi1)
    dlambda = (F("longitude") - Value(longitude)) * DEGREE
    a = Power(Sin(dphi / 2.0), 2) + Value(math.cos(phi1)) * Cos(phi2) * Power(Sin(dlambda / 2.0), 2)
    return Value(2 * EARTH_RADIUS_MILES) * ASin(Least(Value(1.0), Sqrt(a)))


def within(town, miles):
    """Trials with a recruiting place within ``miles`` of the town."""
    places = recruiting_places().alias(miles=miles_from(town.latitude, town.longitude))
    return Q(pk__in=places.filter(miles__lte=miles).values("trial_id"))


def nearest_miles(town):
    """The miles from the town to each trial's nearest recruiting place (None: none)."""
    places = (
        recruiting_places()
        .filter(trial_id=OuterRef("pk"))
        .annotate(miles=miles_from(town.latitude, town.longitude))
        .order_by("miles")
        .values("miles")[:1]
    )
    return Subquery(places, output_field=FloatField())
