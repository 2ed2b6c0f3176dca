"""Reading HTML fragments the way a browser would, for the content pipeline's tests: every
element with its attributes decoded, and a check that nothing in one can run."""

import html
import re
from html.parser import HTMLParser


class Elements(HTMLParser):
    """Every element in a fragment as (tag, {attr: value}), values decoded as a browser would."""

    def __init__(self, fragment):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.comments = []
        self.feed(fragment)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag

    def handle_comment(self, data):
        self.comments.append(data)


def elements(fragment, tag=None):
    found = Elements(fragment).elements
    return [attrs for name, attrs in found if name == tag] if tag else found


SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:")


def assert_inert(output):
    parsed = Elements(output)
    assert not parsed.comments
    for tag, attrs in parsed.elements:
        assert tag not in {
            *("script", "style", "iframe", "object", "embed", "svg", "math", "form"),
            *("input", "button", "textarea", "link", "meta", "base", "frame", "frameset"),
        }
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert name not in {"style", "srcdoc", "formaction", "xlink:href"}, (tag, name)
            if name in {"href", "src", "action", "background", "poster"}:
                # As a browser's URL parser sees it: entities decoded, outer control characters
                # and spaces stripped, tabs and newlines removed throughout.
                url = html.unescape(value or "").strip("".join(map(chr, range(0x21))))
                url = re.sub(r"[\t\n\r]", "", url).lower()
                scheme = re.match(r"^([a-z][a-z0-9+.-]*):", url)
                assert not scheme or url.startswith(SAFE_SCHEMES), (tag, name, value)
