import pytest
import textstat

from netinfo.editorial.readability import Readability, label_for, measure, unexplained_words

PLAIN = (
    "A neuroendocrine tumour starts in cells that make hormones. "
    "Most grow slowly. Your care team will talk with you about what this means for you."
)


def test_figures_are_textstats():
    result = measure(PLAIN)
    assert result.reading_ease == textstat.flesch_reading_ease(PLAIN)
    assert result.grade == textstat.flesch_kincaid_grade(PLAIN)
    assert result.words == textstat.lexicon_count(PLAIN) == 25
    assert result.sentences == textstat.sentence_count(PLAIN) == 3
    assert result.label == label_for(result.reading_ease)
    assert result.long_sentences == []


def test_figures_are_worked_out_on_what_the_reader_sees():
    markdown = "A **neuroendocrine** tumour starts in [cells](/glossary/cells/) that make hormones."
    plain = "A neuroendocrine tumour starts in cells that make hormones."
    assert measure(markdown) == measure(plain)


def test_headings_and_list_items_count_as_sentences():
    result = measure("## What happens next\n\n- You see your nurse\n- You have a scan")
    assert result.sentences == 3
    assert result.long_sentences == []


def test_sentences_over_25_words_are_long():
    long = " ".join(["word"] * 26) + "."
    just_right = " ".join(["word"] * 25) + "."
    result = measure(f"{just_right} Short one here. {long}\n\n{long}")
    assert result.long_sentences == [long, long]


def test_abbreviations_do_not_end_sentences():
    text = "See your GP, e.g. Dr. Jones, about " + " ".join(["word"] * 20) + "."
    assert measure(text).long_sentences == [text]


def test_empty_text():
    assert measure("") == Readability(reading_ease=0.0, grade=0.0, label="No text")
    assert measure("   \n\n ").words == 0


@pytest.mark.parametrize(
    ("reading_ease", "label"),
    [
        (120, "Very easy to read"),
        (80, "Very easy to read"),
        (79.9, "Easy to read"),
        (70, "Easy to read"),
        (69.9, "Fairly easy"),
        (60, "Fairly easy"),
        (59.9, "Fairly hard"),
        (50, "Fairly hard"),
        (49.9, "Hard to read"),
        (30, "Hard to read"),
        (29.9, "Very hard"),
        (-20, "Very hard"),
    ],
)
def test_labels(reading_ease, label):
    assert label_for(reading_ease) == label


TEXT = (
    "Your consultant may suggest PRRT or octreotide after a biopsy. A neuroendocrine tumour "
    "(NET) can make hormones. The Ki-67 index and your CTCs show how fast NETs grow. "
    "Somatostatin analogues help. Your family, the hospital and your GP are there. "
    "Come on the 3rd at 9am for a follow-up."
)


def test_unexplained_words_finds_long_and_technical_words_in_order():
    assert unexplained_words(TEXT, []) == [
        "PRRT",
        "octreotide",
        "biopsy",
        "neuroendocrine tumour",  # a known phrase, offered whole
        "NET",
        "Ki-67",
        "CTCs",
        "Somatostatin analogues",
    ]


def test_known_terms_explain_words_in_any_case_and_plural():
    known = ["neuroendocrine tumour", "net", "ki-67", "CTC", "Biopsies", "somatostatin analogue"]
    assert unexplained_words(TEXT, known) == ["PRRT", "octreotide", "biopsy"]


def test_a_known_phrase_explains_its_words_only_where_it_is_used():
    text = "A neuroendocrine tumour grows from neuroendocrine cells."
    assert unexplained_words(text, ["neuroendocrine tumour"]) == ["neuroendocrine"]
    assert unexplained_words("A neuroendocrine tumour.", ["neuroendocrine tumour"]) == []


def test_unexplained_words_are_unique_and_possessives_dropped():
    text = "Octreotide helps. octreotide's effects. OCTREOTIDE again."
    assert unexplained_words(text, []) == ["Octreotide"]


def test_everyday_words_are_not_flagged():
    text = (
        "Everyday information is important. Families usually understand the hospital "
        "medicine and treatment. Remember the appointment tomorrow. It is OK to ask the NHS."
    )
    assert unexplained_words(text, []) == []


def test_unexplained_words_reads_markdown_not_its_syntax():
    text = "## Scans\n\nSee [the imaging page](https://example.org/radiology-department)."
    assert unexplained_words(text, []) == ["imaging"]


def test_a_hard_word_inside_a_known_phrase_is_offered_as_the_whole_phrase():
    text = "Sunitinib is a tyrosine kinase inhibitor. An enzyme inhibitor works differently."
    # The phrase once, whole; the lone word elsewhere is a use of its own.
    assert unexplained_words(text, []) == ["tyrosine kinase inhibitor", "inhibitor"]


def test_a_known_phrase_already_explained_is_not_offered():
    text = "Sunitinib is a tyrosine kinase inhibitor."
    assert unexplained_words(text, ["tyrosine kinase inhibitor"]) == []
