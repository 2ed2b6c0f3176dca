"""Reading pages the way a browser or screen reader would, for assertions."""

from bs4 import BeautifulSoup


def soup(response):
    """The response's page as a tree, parsed once per response: a test that reads one response
    twice gets the same tree (what it took out, with ``decompose()``, stays out).

    libxml2's parser (lxml): the same tree as html.parser for our pages, a tenth of the
    suite's time less. The text is decoded as the response's Content-Type says, as a
    browser does."""
    parsed = getattr(response, "_parsed_page", None)
    if parsed is None:
        text = response.content.decode(response.charset)
        parsed = response._parsed_page = BeautifulSoup(text, "lxml")
    return parsed


def text_of(element):
    return " ".join(element.get_text(" ").split()) if element else ""


def titles(response):
    """The trials on a finder page, as their titles (without acronyms), in order."""
    assert response.status_code == 200
    return [text_of(h).split(" (")[0] for h in soup(response).select(".app-trial-card__title")]
