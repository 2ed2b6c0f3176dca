"""Plain text worked out from a trial's fields, for pages, cards and feeds: a date as
precisely as we know it, and the first sentence of a summary."""

import re

from netinfo.content import plain_text
from trials.choices import Precision


def format_partial_date(day, precision):
    """A date as precisely as we know it: "2014", "March 2014" or "3 March 2014"."""
    if day is None:
        return ""
    if precision == Precision.YEAR:
        return str(day.year)
    if precision == Precision.MONTH:
        return day.strftime("%B %Y")
    return f"{day.day} {day.strftime('%B %Y')}"


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(‘]?[A-Z0-9])")
# Words after which a full stop does not end the sentence.
ABBREVIATIONS = frozenset("dr mr mrs ms prof st no vs approx eg e.g ie i.e etc".split())


def first_sentence(text, limit=220):
    """The first sentence of markdown or rendered HTML, as plain text, at most ``limit``
    characters (cut at a word, with an ellipsis)."""
    lines = plain_text(text or "").splitlines()
    if not lines:
        return ""
    line = lines[0]
    sentence = line
    for end in _SENTENCE_END.finditer(line):
        words = line[: end.start()].rstrip(".!?").split()
        if words and words[-1].lstrip('("“‘').casefold() in ABBREVIATIONS:
            continue
        sentence = line[: end.end()]
        break
    sentence = sentence.strip()
    if len(sentence) > limit:
        sentence = sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return sentence
