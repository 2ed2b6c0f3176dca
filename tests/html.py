"""Reading pages the way a browser or screen reader would, for assertions."""

import re

from bs4 import BeautifulSoup

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def text_of(element):
    return " ".join(element.get_text(" ").split()) if element else ""


def without_csrf_token(response):
    """The page's HTML without the feedback form's CSRF token, which differs per visitor."""
    return CSRF_INPUT.sub("", response.content.decode())
