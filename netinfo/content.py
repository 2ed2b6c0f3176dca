"""The content pipeline: editors' markdown in, safe HTML with glossary pop-ups out.

Pure functions, no database: models call :func:`render_fields` in ``save()`` and store the
result, so everything the page needs (definitions included) is in the returned HTML.

Three steps, each distrusting the one before:

1. Markdown (tables, sane lists, fenced code, callouts). Raw HTML typed by an editor is
   never interpreted: it comes out as visible text. HTML comments are dropped.
2. nh3 cleans the output against an explicit allow-list of tags, attributes, classes and URL
   schemes, so a gap in step 1 still cannot reach a page.
3. A small HTML walk adds ``rel`` to external links and marks the first use of each glossary
   term on the page (``netinfo.glossary_matcher`` finds them). It only ever adds markup we
   generate and escape ourselves.

Urgent-help callouts (Python-Markdown's admonition syntax, only two kinds)::

    !!! warning "Call your care team straight away if"
        You have a high temperature.

        You feel very unwell.

    !!! info "Good to know"
        The body is indented by four spaces. The title in quotes is optional.

become ``<aside class="app-callout app-callout--warning" role="note" aria-label="...">`` with
the title as ``<p class="app-callout__title">``. Any other kind (``!!! danger``) is shown as
ordinary text with a bold title, never as a styled box.
"""

from __future__ import annotations

import functools
import html
import re
import threading
from collections.abc import Iterable, Sequence
from html.parser import HTMLParser
from xml.etree import ElementTree

import markdown
import nh3
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

from netinfo.glossary_matcher import GlossaryMatcher, glossary_link

CALLOUT_KINDS = ("warning", "info")

ALLOWED_TAGS = {
    *("p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code"),
    *("ul", "ol", "li", "a", "strong", "em", "img"),
    *("table", "thead", "tbody", "tr", "th", "td"),
    *("aside", "div"),
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "aside": {"aria-label"},
}
# Allowed by value: nothing an editor types can choose a class or a role.
ALLOWED_CLASSES = {
    "aside": {"app-callout", *(f"app-callout--{kind}" for kind in CALLOUT_KINDS)},
    "p": {"app-callout__title"},
}
ALLOWED_ATTRIBUTE_VALUES = {
    "aside": {"role": {"note"}},
    "th": {"align": {"left", "center", "right"}},
    "td": {"align": {"left", "center", "right"}},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

# Text inside these is never marked as a glossary term.
NO_GLOSSARY_TAGS = {"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}
BLOCK_TAGS = {
    *("p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"),
    *("ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "aside", "div"),
}
VOID_TAGS = {"br", "hr", "img"}


# ---- Markdown ----


class _StripComments(Preprocessor):
    """Editors may leave notes in <!-- comments -->; they never reach the page.

    Runs after fenced code blocks are set aside, so a comment shown as code stays.
    """

    COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)

    def run(self, lines):
        return self.COMMENT.sub("", "\n".join(lines)).split("\n")


class _Callouts(Treeprocessor):
    """Map admonition output to our callout markup; only known kinds get a class."""

    def run(self, root):
        for div in root.iter("div"):
            classes = div.get("class", "").split()
            if classes[:1] != ["admonition"]:
                continue
            kind = classes[1] if len(classes) > 1 else ""
            title = div.find("p")
            if title is not None and title.get("class") != "admonition-title":
                title = None
            div.attrib.clear()
            if kind in CALLOUT_KINDS:
                div.tag = "aside"
                div.set("class", f"app-callout app-callout--{kind}")
                div.set("role", "note")
                if title is not None:
                    title.set("class", "app-callout__title")
                    div.set("aria-label", self._text(title))
            elif title is not None:
                title.attrib.clear()
                strong = ElementTree.Element("strong")
                strong.text, title.text = title.text, None
                strong.extend(list(title))
                for child in list(title):
                    title.remove(child)
                title.append(strong)

    def _text(self, element):
        # Entities are still stashed at this point: put them back, then decode.
        text = "".join(element.itertext())
        stash = self.md.htmlStash.rawHtmlBlocks
        text = HTML_PLACEHOLDER_RE.sub(lambda m: str(stash[int(m.group(1))]), text)
        return " ".join(html.unescape(text).split())


class _ShiftHeadings(Treeprocessor):
    """The page template owns the one <h1>: an editor's "# Heading" becomes <h2>, "##" <h3>
    and so on, down to <h6>."""

    def run(self, root):
        for element in root.iter():
            if element.tag in _HEADING_SHIFT:
                element.tag = _HEADING_SHIFT[element.tag]


_HEADING_SHIFT = {f"h{level}": f"h{min(level + 1, 6)}" for level in range(1, 7)}


_local = threading.local()


def _markdown() -> markdown.Markdown:
    """This thread's converter: making one costs more than converting a page with it, and
    ``reset()`` before each text leaves nothing of the last one."""
    md = getattr(_local, "markdown", None)
    if md is None:
        md = _local.markdown = _new_markdown()
    return md


def _new_markdown() -> markdown.Markdown:
    md = markdown.Markdown(
        extensions=["tables", "sane_lists", "fenced_code", "admonition"],
        extension_configs={"tables": {"use_align_attribute": True}},
        output_format="html",
    )
    # Raw HTML is shown as text, never interpreted.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.preprocessors.register(_StripComments(md), "strip_comments", 20)
    md.treeprocessors.register(_Callouts(md), "callouts", -10)  # after inline and unescape
    md.treeprocessors.register(_ShiftHeadings(md), "shift_headings", -20)
    return md


def _clean(html_text: str) -> str:
    return nh3.clean(
        html_text,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        tag_attribute_values=ALLOWED_ATTRIBUTE_VALUES,
        url_schemes=URL_SCHEMES,
        strip_comments=True,
        link_rel=None,  # added to external links only, below
    )


# ---- The walk over clean HTML ----


def _is_external(href: str) -> bool:
    return href.lower().startswith(("http://", "https://", "//"))


def _start_tag(tag: str, attrs: list[tuple[str, str | None]]) -> str:
    parts = [tag]
    for name, value in attrs:
        parts.append(name if value is None else f'{name}="{html.escape(value)}"')
    return f"<{' '.join(parts)}>"


class _Marker(HTMLParser):
    """Re-serialise nh3's output, adding rel to external links and glossary links to text."""

    def __init__(self, matcher, used: set[str], exclude: frozenset[str]):
        super().__init__(convert_charrefs=True)
        self.matcher = matcher
        self.used = used
        self.exclude = exclude
        self.out: list[str] = []
        self.no_glossary = 0

    def handle_starttag(self, tag, attrs):
        if tag == "a" and _is_external(dict(attrs).get("href") or ""):
            attrs = [*attrs, ("rel", "noopener noreferrer")]
        self.out.append(_start_tag(tag, attrs))
        if tag in NO_GLOSSARY_TAGS:
            self.no_glossary += 1

    def handle_startendtag(self, tag, attrs):
        self.out.append(_start_tag(tag, attrs))

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")
        if tag in NO_GLOSSARY_TAGS:
            self.no_glossary = max(0, self.no_glossary - 1)

    def handle_data(self, data):
        if self.no_glossary or not self.matcher:
            self.out.append(html.escape(data, quote=False))
            return
        position = 0
        for match, entry in self.matcher.finditer(data):
            # A used or excluded term still claims its words: "tumour" is not marked inside
            # an already explained "neuroendocrine tumour".
            if entry.slug in self.used or entry.slug in self.exclude:
                continue
            self.used.add(entry.slug)
            self.out.append(html.escape(data[position : match.start()], quote=False))
            self.out.append(glossary_link(entry, match.group()))
            position = match.end()
        self.out.append(html.escape(data[position:], quote=False))

    def result(self) -> str:
        self.close()
        return "".join(self.out)


# ---- Public API ----


def render_fields(
    texts: Sequence[str],
    matcher: GlossaryMatcher | None,
    exclude_slugs: Iterable[str] = (),
) -> list[str]:
    """Render the markdown texts that appear on ONE page, in page order, to safe HTML.

    Each glossary term is marked at its first use across all the texts together; terms in
    ``exclude_slugs`` are never marked (a term's own page).
    """
    used: set[str] = set()
    exclude = frozenset(exclude_slugs)
    md = _markdown()
    rendered = []
    for text in texts:
        md.reset()
        clean = _clean(md.convert(text or ""))
        marker = _Marker(matcher, used, exclude)
        marker.feed(clean)
        rendered.append(marker.result())
    return rendered


def mark_glossary(clean_html: str, matcher: GlossaryMatcher | None, used: set[str]) -> str:
    """Mark the first use of each glossary term in HTML we made safe ourselves (escaped
    template text), skipping the slugs in ``used`` and adding those it marks: one "already
    explained" set can run through every piece of text on a page."""
    marker = _Marker(matcher, used, frozenset())
    marker.feed(clean_html)
    return marker.result()


def render_markdown(text: str) -> str:
    """Markdown to sanitised HTML, without glossary marking."""
    return render_fields([text], None)[0]


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []

    def _break(self):
        line = " ".join("".join(self.current).split())
        if line:
            self.lines.append(line)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self._break()

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self._break()

    def handle_data(self, data):
        self.current.append(data)


_STARTS_AS_HTML = re.compile(r"\s*<(?:p|h[1-6]|ul|ol|table|aside|blockquote|pre|hr|div)[\s>]")


@functools.lru_cache(maxsize=1024)
def plain_text(html_or_markdown: str) -> str:
    """The words a reader sees, one line per block (paragraph, heading, list item, cell).

    Accepts our rendered HTML (recognised by its opening block tag) or markdown. Remembered
    for the last thousand texts: every save reads each glossary definition's words.
    """
    text = html_or_markdown or ""
    if not _STARTS_AS_HTML.match(text):
        text = render_markdown(text)
    extractor = _TextExtractor()
    extractor.feed(text)
    extractor.close()
    extractor._break()
    return "\n".join(extractor.lines)
