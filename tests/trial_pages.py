"""Reading a trial's page (/trials/<slug>/) for the trial page tests."""

import json

from tests.html import soup, text_of


def headings(response):
    return [text_of(h2) for h2 in soup(response).find("main").find_all("h2")]


def main_text(response):
    return text_of(soup(response).find("main"))


def jsonld(response):
    scripts = soup(response).find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    return json.loads(scripts[0].string)
