"""Reading the public pages of the real starting content, for the tests of this package: the
main text as read aloud, uses tables, sections."""

import re

from tests.html import soup, text_of

TREATMENT_SLUGS = [
    "surgery",
    "debulking-surgery",
    "somatostatin-analogues",
    "everolimus",
    "sunitinib",
    "capecitabine-temozolomide",
    "streptozocin-chemotherapy",
    "folfiri-folfox",
    "platinum-etoposide",
    "interferon",
    "prrt",
    "liver-embolisation",
    "thermal-ablation",
    "liver-transplant",
    "telotristat-ethyl",
    "belzutifan",
]


def clean(text):
    """Text as read aloud: glossary pop-up markup leaves spaces before punctuation."""
    return re.sub(r"\(\s+", "(", re.sub(r"\s+([,.;:)?!])", r"\1", text))


def main_text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return clean(text_of(soup(response).find("main")))


def rows(client, url, table_class):
    """Each row of a uses table as (first cell, grade, how it is used, source link)."""
    table = soup(client.get(url)).find("table", class_=table_class)
    found = []
    for tr in table.find("tbody").find_all("tr"):
        cells = tr.find_all(["th", "td"])
        source = cells[2].find(class_="app-uses-table__source")
        link = source.find("a")["href"] if source and source.find("a") else None
        found.append((clean(text_of(cells[0])), text_of(cells[1]), clean(text_of(cells[2])), link))
    return found


def section(client, url, id_):
    return soup(client.get(url)).find(id=id_).find_parent("section")
