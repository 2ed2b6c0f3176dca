"""Plain English across the whole site: the mean Flesch reading ease of every public page in
the sitemap is 60 or more, and no page but a glossary term's own page is below 50 (issue
19). Each paragraph, list item, table cell, heading, term and label of a page's main content
is read as a sentence (``netinfo.editorial.readability.measure_page``)."""

import re
import statistics

from netinfo.editorial.readability import measure, measure_page, page_blocks

MEAN_AT_LEAST = 60
EACH_AT_LEAST = 50  # except a glossary term's own page: a definition and a list of titles


def test_a_page_is_read_block_by_block_from_its_main_content_only():
    page = (
        "<html><head><title>Not read</title><script>var notRead = 1;</script></head><body>"
        "<nav><a href='/'>Not read either</a></nav>"
        "<main><h1>Your scan</h1><p>You lie still. It takes <a href='#'>ten</a> minutes</p>"
        "<ul><li>Bring a friend</li><li>Eat as usual</li></ul>"
        "<table><tr><th>Grade</th><td>Grade 1 (G1)</td></tr></table>"
        "<dl><dt>Phase</dt><dd>This is a phase 2 trial.</dd></dl>"
        "<script>notRead()</script></main><footer><p>Not read.</p></footer></body></html>"
    )

    assert page_blocks(page) == [
        "Your scan",
        "You lie still. It takes ten minutes",
        "Bring a friend",
        "Eat as usual",
        "Grade",
        "Grade 1 (G1)",
        "Phase",
        "This is a phase 2 trial.",
    ]
    # Each block ends a sentence, so a heading or a list item never runs into the next one:
    # run together, these 26 words would be one long sentence.
    assert measure_page(page).words == 26
    assert measure_page(page).long_sentences == []
    assert measure_page(page) == measure("\n\n".join(page_blocks(page)))


def public_pages(client):
    sitemap = client.get("/sitemap.xml").content.decode()
    return [
        re.sub(r"^https?://[^/]+", "", url) for url in re.findall(r"<loc>([^<]+)</loc>", sitemap)
    ]


def is_glossary_term(url):
    return url.startswith("/glossary/") and url != "/glossary/"


def test_every_public_page_is_plain_english(client, content):
    figures = {}
    for url in public_pages(client):
        response = client.get(url)
        assert response.status_code == 200, url
        result = measure_page(response.content.decode())
        assert result.words, f"{url} has no words in its main content"
        figures[url] = result.reading_ease

    mean = statistics.mean(figures.values())
    others = {url: ease for url, ease in figures.items() if not is_glossary_term(url)}
    hard = sorted((ease, url) for url, ease in others.items() if ease < EACH_AT_LEAST)
    print(
        f"\nReading ease over {len(figures)} public pages: mean {mean:.1f}, "
        f"lowest {min(figures.values()):.1f}; the {len(others)} pages that are not a glossary "
        f"term's own: mean {statistics.mean(others.values()):.1f}, "
        f"lowest {min(others.values()):.1f} ({min(others, key=others.get)})"
    )
    assert len(others) >= 20  # home, site pages, the lists, tumour sites, treatments, trials
    assert mean >= MEAN_AT_LEAST, f"mean reading ease {mean:.1f}"
    assert not hard, "pages below 50: " + ", ".join(f"{url} ({ease:.1f})" for ease, url in hard)
