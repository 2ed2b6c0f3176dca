"""Glossary terms marked in rendered content (netinfo/glossary_matcher.py): whole words in
any form, the first use on a page, never inside links or headings; and plain text from
markdown and HTML."""

import html
import random
import re
import string

import pytest

from netinfo.content import plain_text, render_fields, render_markdown
from netinfo.glossary_matcher import GlossaryEntry, GlossaryMatcher
from tests.html_fragments import Elements, assert_inert

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
