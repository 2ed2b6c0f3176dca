"""The content pipeline (netinfo/content.py): editors' markdown in, safe HTML out. Hostile
input stays inert, markdown basics survive, headings start at h2, and callouts. Glossary
marking and plain text: test_content_glossary.py."""

import pytest

from netinfo.content import render_fields, render_markdown
from netinfo.glossary_matcher import GlossaryEntry, GlossaryMatcher
from tests.html_fragments import assert_inert, elements

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
