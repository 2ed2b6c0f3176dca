"""A registry reference's citation, split into authors, title, journal, year, volume, issue
and pages when it follows the usual NLM layout; its DOI and a link. Pure Python: no Django."""

from __future__ import annotations

import re

from trials.registry.records import ParsedPublication

_DOI_RE = re.compile(r"\bdoi:\s*(10\.\d{4,9}/\S+)", re.IGNORECASE)
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Spring|Summer|Autumn|Fall|Winter)"
# ". Journal. 2015 May 20;31(5):671-8"  (date part, volume, issue and pages all optional after
# the year, but something NLM-like must follow: ';', ':' or the end of the sentence).
_SOURCE_RE = re.compile(
    r"\.\s+(?P<journal>[^.]+?)\.\s+"
    r"(?P<year>(?:1[89]|20)\d{2})"
    rf"(?:\s+{_MONTH}(?:\s+\d{{1,2}})?(?:\s*-\s*(?:{_MONTH}\s*)?\d{{0,2}})?)?"
    r"(?:\s*;\s*(?P<volume>[^(:;.\s]+)?\s*(?:\((?P<issue>[^)]*)\))?)?"
    r"(?:\s*:\s*(?P<pages>[^.;\s]+))?"
    r"(?=\s*[.;]|\s*$)"
)


def parse_citation(citation: str, pmid: str, reference_type: str) -> ParsedPublication:
    pub = ParsedPublication(citation=citation, pmid=pmid, reference_type=reference_type)
    if m := _DOI_RE.search(citation):
        pub.doi = m.group(1).rstrip(".,;")
    if re.fullmatch(r"[0-9]+", pmid):
        pub.url = f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"
    elif pub.doi:
        pub.url = f"https://doi.org/{pub.doi}"

    # Authors end at the first ". "; the source ("Journal. Year;Vol(Issue):Pages") follows the
    # title. Only fill the parts when the whole layout is there.
    head, sep, rest = citation.partition(". ")
    if not sep:
        return pub
    m = _SOURCE_RE.search(". " + rest)
    if not m:
        return pub
    journal = m.group("journal").strip()
    title = (". " + rest)[2 : m.start()].strip()
    # A title ending in "?" or "!" has no full stop: "Is X safe? J Foo. 2010;..."
    *title_end, journal = re.split(r"(?<=[?!])\s+", journal)
    if title_end:
        title = ". ".join(filter(None, [title, " ".join(title_end)]))
    if not title or not journal:
        return pub
    authors = head.strip()
    pub.authors = authors + "." if authors.endswith(" et al") else authors
    pub.title = title
    pub.journal = journal
    pub.year = int(m.group("year"))
    pub.volume = (m.group("volume") or "").strip()
    pub.issue = (m.group("issue") or "").strip()
    pub.pages = (m.group("pages") or "").strip()
    return pub
