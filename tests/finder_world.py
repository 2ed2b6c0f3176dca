"""A small world of trials for the trial finder's tests (made once per module with
``module_transaction``, tests/conftest.py), and reading the finder's page and feed."""

import re
import xml.etree.ElementTree as ET

from tests import factories
from tests.html import soup, text_of

ATOM = "{http://www.w3.org/2005/Atom}"


def make_world():
    from treatments.models import Drug
    from trials.models import Location

    pancreas = factories.make_site("Pancreas", order=2)
    small_bowel = factories.make_site("Small bowel", slug="small-bowel", order=1)
    lung = factories.make_site("Lung", order=3)
    factories.make_site("Secret site", state="draft", order=9)
    prrt = factories.make_treatment("PRRT", type_name="PRRT", other_names="Lutathera")
    everolimus = factories.make_treatment("Everolimus")
    lutetium = Drug.objects.create(generic_name="lutetium-177 dotatate", slug="lutetium")
    lutetium.treatments.add(prrt)

    def place(trial, town, region):
        Location.objects.create(trial=trial, name=f"{town} hospital", town=town, region=region)

    trials = {
        "prrt": factories.make_trial(
            "Radioactive treatment for pancreatic NETs",
            acronym="PANPRRT",
            status="open",
            phase="2",
            sites=[pancreas],
            treatments=[prrt],
            accepts_g1=True,
            accepts_g2=True,
            receptor_scan="required",
            summary="This trial tests PRRT after surgery. It is for adults. It runs in 3 places.",
            identifiers=[("nct", "NCT02683941"), ("eudract", "2022-003575-42")],
        ),
        "lanreotide": factories.make_trial(
            "Lanreotide for carcinoid syndrome",
            status="open",
            phase="3",
            sites=[small_bowel],
            accepts_g1=True,
            functioning="required",
            summary="A randomised trial of a higher dose of lanreotide for diarrhoea.",
            identifiers=[("isrctn", "ISRCTN12345678")],
        ),
        "everolimus": factories.make_trial(
            "Everolimus tablets for lung NETs",
            status="opening_soon",
            phase="1",
            sites=[lung],
            treatments=[everolimus],
            accepts_g2=True,
            accepts_g3=True,
            functioning="excluded",
            summary="This study looks at everolimus for neuroendocrine tumours of the lung.",
            identifiers=[("iras", "1006904")],
        ),
        "closed": factories.make_trial(
            "Chemotherapy for fast-growing pancreatic NEC",
            status="closed",
            phase="3",
            sites=[pancreas],
            accepts_g3=True,
            accepts_nec=True,
            identifiers=[("nct", "NCT01234567")],
        ),
        "results": factories.make_trial(
            "Exercise after small bowel surgery",
            status="results",
            phase="na",
            sites=[small_bowel],
        ),
        "by_drug": factories.make_trial(
            "Lutetium for pancreatic NETs that have spread",
            status="open",
            phase="2",
            sites=[pancreas],
            accepts_g2=True,
            identifiers=[("euct", "2023-503456-12-00")],
        ),
        "draft": factories.make_trial(
            "Secret draft pancreatic trial",
            state="draft",
            status="open",
            phase="2",
            sites=[pancreas],
            treatments=[prrt],
            accepts_g2=True,
            identifiers=[("nct", "NCT09999999")],
        ),
    }
    trials["by_drug"].drugs.add(lutetium)
    place(trials["prrt"], "Birmingham", "west-midlands")
    place(trials["prrt"], "London", "london")
    place(trials["lanreotide"], "London", "london")
    place(trials["everolimus"], "Manchester", "north-west")
    place(trials["closed"], "Liverpool", "north-west")
    place(trials["draft"], "Oxford", "south-east")
    return trials


def shown_counts(response):
    """{(name, value): count} for every checkbox on the page."""
    page = soup(response)
    counts = {}
    for box in page.select("input.app-finder__checkbox"):
        label = text_of(page.find("label", attrs={"for": box["id"]}))
        counts[(box["name"], box["value"])] = int(re.search(r"\((\d+)\s+trials?\s*\)$", label)[1])
    return counts


def found(response):
    """The "N trials found" heading as a number."""
    heading = text_of(soup(response).select_one("#results-heading"))
    if heading == "No trials found":
        return 0
    return int(re.fullmatch(r"([\d,]+) trials? found", heading)[1].replace(",", ""))


def names(world, *keys):
    return sorted(world[key].title for key in keys)


def feed_titles(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return sorted(
        entry.find(f"{ATOM}title").text.rsplit(" – ", 1)[0]
        for entry in root.findall(f"{ATOM}entry")
    )


def finder(client, **params):
    response = client.get("/trials/", params)
    assert response.status_code == 200
    return soup(response)


def result_titles(page):
    return [text_of(link) for link in page.select(".app-trial-card__title a")]


def site_note(page):
    return page.select_one(".app-finder__site-word")
