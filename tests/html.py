"""Reading pages the way a browser or screen reader would, for assertions."""

from bs4 import BeautifulSoup


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def text_of(element):
    return " ".join(element.get_text(" ").split()) if element else ""


def titles(response):
    """The trials on a finder page, as their titles (without acronyms), in order."""
    assert response.status_code == 200
    return [text_of(h).split(" (")[0] for h in soup(response).select(".app-trial-card__title")]
