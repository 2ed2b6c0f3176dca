import html
import random
import re
import string
from html.parser import HTMLParser

import pytest

from netinfo.content import plain_text, render_fields, render_markdown
from netinfo.glossary_matcher import GlossaryEntry, GlossaryMatcher


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


HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<ScRiPt>alert(1)</sCrIpT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script\n>alert(1)</script\n>",
    "<<script>alert(1);//<</script>",
    "<div><p><script>alert(1)</script></p></div>",
    '<img src=x onerror="alert(1)">',
    "<img src=x onerror=alert(1)//",
    "<IMG SRC=javascript:alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mi xlink:href='javascript:alert(1)'>x</mi></math>",
    '<iframe src="https://evil.example"></iframe>',
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    "<object data='x.swf'></object><embed src='x.swf'>",
    "<form action='javascript:alert(1)'><button>go</button></form>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<span style="position:fixed;top:0">overlay</span>',
    "<style>body{display:none}</style>",
    '<p onclick="alert(1)" onmouseover=alert(1)>x</p>',
    '<a class="app-glossary" href="/glossary/x/" data-glossary-definition="x">fake</a>',
    "<!-- <script>alert(1)</script> -->",
    "<!--><script>alert(1)</script>-->",
    "<!--[if IE]><script>alert(1)</script><![endif]-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](  javascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](java\tscript:alert(1))",
    "[x](jav&#x09;ascript:alert(1))",
    "[x](&#x20;javascript:alert(1))",
    "[x](\x01javascript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript&#58;alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "[x](vbscript:msgbox(1))",
    '[x](https://ok.example "title" onclick="alert(1)")',
    '[x](https://ok.example" onmouseover="alert(1))',
    "[x][evil]\n\n[evil]: javascript:alert(1)",
    "[evil]\n\n[evil]: JAVASCRIPT:alert(1)",
    "<javascript:alert(1)>",
    '<http://ok.example/" onmouseover="alert(1)>',
    "![x](javascript:alert(1))",
    '![x](x.png" onerror="alert(1))',
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x][img]\n\n[img]: javascript:alert(1)",
    "**<img src=x onerror=alert(1)>**",
    "> <script>alert(1)</script>",
    "- <iframe src=x>",
    "| a |\n|---|\n| <script>alert(1)</script> |",
    '!!! warning "<script>alert(1)</script>"\n    <img src=x onerror=alert(1)>',
    '!!! warning" onmouseover="alert(1)\n    x',
    '!!! info "x" onclick="alert(1)"\n    x',
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_produces_no_executable_markup(text):
    output = render_markdown(text)
    assert_inert(output)
    for _tag, attrs in elements(output):
        # Editors choose no classes: the only ones are our callout classes.
        for name in attrs.get("class", "").split():
            assert name.startswith("app-callout"), output


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_stays_inert_with_glossary_marking(text):
    matcher = GlossaryMatcher([GlossaryEntry("x", "x", ("alert", "script"), '"><script>')])
    output = render_fields([text], matcher)[0]
    assert_inert(output)


def test_raw_html_is_shown_as_text_not_run():
    output = render_markdown("Use <b>bold</b> & <script>x</script>")
    assert output == "<p>Use &lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;x&lt;/script&gt;</p>"


def test_html_comments_are_dropped_but_code_keeps_them():
    assert render_markdown("Seen <!-- editor's note -->here") == "<p>Seen here</p>"
    assert "&lt;!-- shown --&gt;" in render_markdown("```\n<!-- shown -->\n```")


def test_markdown_basics_survive_sanitising():
    output = render_markdown(
        "## Heading\n\n*em* **strong** `code`\n\n> quote\n\n3. three\n4. four\n\n"
        "| Drug | Dose |\n|:--|--:|\n| A | 1 |\n\n"
        "[in](/trials/) [out](https://example.org) [mail](mailto:a@example.org) "
        "[call](tel:08088004040) ![Scan](/static/scan.png)"
    )
    assert "<h3>Heading</h3>" in output  # shifted down a level: the page owns the <h1>
    assert "<em>em</em> <strong>strong</strong> <code>code</code>" in output
    assert "<blockquote>" in output
    assert '<ol start="3">' in output
    assert '<th align="left">Drug</th>' in output
    assert elements(output, "a") == [
        {"href": "/trials/"},
        {"href": "https://example.org", "rel": "noopener noreferrer"},
        {"href": "mailto:a@example.org"},
        {"href": "tel:08088004040"},
    ]
    assert elements(output, "img") == [{"alt": "Scan", "src": "/static/scan.png"}]


def test_editor_headings_start_at_h2_so_the_page_keeps_one_h1():
    output = render_markdown(
        "# Top\n\n## Second\n\n##### Fifth\n\n###### Sixth\n\nUnderlined\n=========="
    )
    assert [tag for tag, _ in elements(output)] == ["h2", "h3", "h6", "h6", "h2"]
    assert "<h2>Top</h2>" in output
    assert "<h2>Underlined</h2>" in output


def test_warning_callout():
    output = render_markdown(
        '!!! warning "Call 999 if you have *chest pain*"\n    Do not wait.\n\nAfter.'
    )
    assert output == (
        '<aside aria-label="Call 999 if you have chest pain" '
        'class="app-callout app-callout--warning" role="note">\n'
        '<p class="app-callout__title">Call 999 if you have <em>chest pain</em></p>\n'
        "<p>Do not wait.</p>\n</aside>\n<p>After.</p>"
    )


def test_info_callout_without_title_is_named_after_its_kind():
    output = render_markdown("!!! info\n    Good to know.")
    assert elements(output, "aside") == [
        {"aria-label": "Info", "class": "app-callout app-callout--info", "role": "note"}
    ]


def test_other_callout_kinds_are_plain_text():
    output = render_markdown('!!! danger "Careful"\n    Text.')
    assert output == "<div>\n<p><strong>Careful</strong></p>\n<p>Text.</p>\n</div>"
    assert "class" not in output


def test_callout_title_entities_are_decoded_once_in_the_label():
    output = render_markdown('!!! info "Tea &amp; toast"\n    Text.')
    assert elements(output, "aside")[0]["aria-label"] == "Tea & toast"


# ---- Glossary ----

NET = GlossaryEntry(
    slug="net",
    term="Neuroendocrine tumour",
    forms=("NET", "NETs", "neuroendocrine tumours"),
    definition="A tumour that starts in cells that make hormones.",
)
TUMOUR = GlossaryEntry("tumour", "Tumour", ("tumours",), "A lump of cells that grow & grow.")
KI67 = GlossaryEntry("ki-67", "Ki-67", (), 'A "marker" of how fast cells divide.')
CTC = GlossaryEntry(
    "circulating-tumour-cells",
    "Circulating tumour cells",
    ("CTC", "CTCs", "circulating tumour cell"),
    "Tumour cells found in the blood.",
)
CUSHING = GlossaryEntry("cushings", "Cushing's syndrome", (), "Too much cortisol.")


@pytest.fixture
def matcher():
    return GlossaryMatcher([NET, TUMOUR, KI67, CTC, CUSHING])


def marked(fragment):
    """(word, slug) for every glossary link, in order."""
    parser = Elements(fragment)
    words = re.findall(r'<a class="app-glossary"[^>]*>(.*?)</a>', fragment, re.DOTALL)
    links = [attrs for _tag, attrs in parser.elements if "data-glossary" in attrs]
    return [
        (html.unescape(word), attrs["data-glossary"])
        for word, attrs in zip(words, links, strict=True)
    ]


def test_glossary_link_markup(matcher):
    output = render_fields(["Your Ki-67 result."], matcher)[0]
    assert output == (
        '<p>Your <a class="app-glossary" href="/glossary/ki-67/" data-glossary="ki-67" '
        'data-glossary-term="Ki-67" '
        'data-glossary-definition="A &quot;marker&quot; of how fast cells divide.">Ki-67</a>'
        " result.</p>"
    )
    assert_inert(output)


def test_first_use_only_across_the_page(matcher):
    before = render_fields(["A tumour.", "No terms here.", "Another tumour."], matcher)
    assert [marked(fragment) for fragment in before] == [[("tumour", "tumour")], [], []]
    after = render_fields(["No terms here.", "Another tumour.", "A tumour."], matcher)
    assert [marked(fragment) for fragment in after] == [[], [("tumour", "tumour")], []]


def test_longest_match_wins(matcher):
    output = render_fields(["A neuroendocrine tumour is a kind of tumour."], matcher)[0]
    assert marked(output) == [("neuroendocrine tumour", "net"), ("tumour", "tumour")]


def test_an_explained_phrase_keeps_its_words(matcher):
    output = render_fields(["NETs. A neuroendocrine tumour. A tumour."], matcher)[0]
    assert marked(output) == [("NETs", "net"), ("tumour", "tumour")]
    assert "A neuroendocrine tumour. A <a" in output


def test_case_insensitive_and_other_forms(matcher):
    output = render_fields(
        ["NEUROENDOCRINE TUMOURS and Circulating Tumour Cell counts and CTCs"], matcher
    )[0]
    assert marked(output) == [
        ("NEUROENDOCRINE TUMOURS", "net"),
        ("Circulating Tumour Cell", "circulating-tumour-cells"),
    ]


def test_abbreviations_match_in_capitals_only(matcher):
    output = render_fields(["A safety net, nets and Nets. Then a NET."], matcher)[0]
    assert marked(output) == [("NET", "net")]


def test_abbreviations_inside_hyphenated_names_are_left_alone(matcher):
    output = render_fields(["The CALM-NET trial and NET-PET scans. Then a NET."], matcher)[0]
    assert marked(output) == [("NET", "net")]
    assert "CALM-NET trial" in output


def test_whole_words_only(matcher):
    text = "The network, the cabinet, NETwork, tumourous, subtumour and Ki-678."
    assert marked(render_fields([text], matcher)[0]) == []


def test_punctuation_and_apostrophes_end_words(matcher):
    output = render_fields(["(NETs), tumour's and Cushing’s syndrome."], matcher)[0]
    assert marked(output) == [
        ("NETs", "net"),
        ("tumour", "tumour"),
        ("Cushing’s syndrome", "cushings"),
    ]


def test_terms_split_over_lines_still_match(matcher):
    output = render_fields(["A neuroendocrine\ntumour."], matcher)[0]
    assert marked(output) == [("neuroendocrine\ntumour", "net")]


def test_not_inside_links_headings_or_code(matcher):
    text = (
        "# Tumour\n\n### Ki-67\n\n[A tumour](/x/) and <https://tumour.example> and `tumour`\n\n"
        "    tumour in code\n\n```\nKi-67\n```\n\nThen tumour and Ki-67."
    )
    output = render_fields([text], matcher)[0]
    assert marked(output) == [("tumour", "tumour"), ("Ki-67", "ki-67")]
    assert output.endswith("</a>.</p>")


def test_excluded_terms_are_never_marked(matcher):
    output = render_fields(["A tumour is a NET."], matcher, exclude_slugs=["tumour"])[0]
    assert marked(output) == [("NET", "net")]


def test_text_is_preserved_exactly(matcher):
    text = "Tumours & NETs < 2 cm: *Neuroendocrine Tumours* — Ki-67 “tumour” café."
    with_glossary = render_fields([text], matcher)[0]
    assert plain_text(with_glossary) == plain_text(render_markdown(text))
    assert (
        plain_text(with_glossary)
        == "Tumours & NETs < 2 cm: Neuroendocrine Tumours — Ki-67 “tumour” café."
    )


def test_no_matcher_or_empty_matcher_marks_nothing():
    assert render_fields(["A tumour."], None) == ["<p>A tumour.</p>"]
    empty = GlossaryMatcher([])
    assert not empty
    assert len(empty) == 0
    assert render_fields(["A tumour.", ""], empty) == ["<p>A tumour.</p>", ""]


def test_matcher_knows_its_terms(matcher):
    assert matcher
    assert len(matcher) == 5
    assert matcher.entry_for("ctcs") is CTC
    assert matcher.entry_for("Cushing’s  syndrome") is CUSHING
    assert matcher.entry_for("pancreas") is None


def test_glossary_entry_accepts_a_list_of_forms():
    entry = GlossaryEntry("a", "A", ["b", "c"], "d")
    assert entry.forms == ("b", "c")
    hash(entry)


def test_regex_metacharacters_in_terms_are_literal():
    entries = [
        GlossaryEntry("ga", "68Ga-DOTATATE (PET)", (), "A scan."),
        GlossaryEntry("c", "C++", (), "Not a drug."),
        GlossaryEntry("dot", "a.b", (), "x"),
    ]
    output = render_fields(
        ["A 68Ga-DOTATATE (PET) scan, not axb nor a.b."], GlossaryMatcher(entries)
    )
    assert marked(output[0]) == [("68Ga-DOTATATE (PET)", "ga"), ("a.b", "dot")]


def test_five_hundred_terms_compile_into_one_pattern_and_match():
    rng = random.Random(7)

    def word():
        return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 12)))

    entries = [
        GlossaryEntry(f"t{n}", f"{word()} {word()}", (word().upper(), word() + "s"), "x")
        for n in range(500)
    ]
    matcher = GlossaryMatcher(entries)
    assert len(matcher) == 500
    assert isinstance(matcher.pattern, re.Pattern)
    # Text that nearly matches everywhere: many shared prefixes, no whole word.
    near_misses = " ".join(form[:-1] + "x" for entry in entries for form in entry.forms)
    assert list(matcher.finditer(near_misses * 5)) == []
    assert list(matcher.finditer("a" * 100_000)) == []
    text = " and ".join(entry.term for entry in reversed(entries))
    output = render_fields([text], matcher)[0]
    assert len(marked(output)) == 500


# ---- Plain text ----


def test_plain_text_from_markdown_and_from_html(matcher):
    text = "# Heading\n\nOne *two*.\n\n- Item & more\n- Item\n\nA tumour."
    expected = "Heading\nOne two.\nItem & more\nItem\nA tumour."
    assert plain_text(text) == expected
    assert plain_text(render_fields([text], matcher)[0]) == expected


def test_plain_text_leaves_out_glossary_definitions(matcher):
    assert plain_text(render_fields(["A NET."], matcher)[0]) == "A NET."


def test_plain_text_of_nothing():
    assert plain_text("") == ""
