"""The glossary and the real content fit each other.

With the starting content from fixtures/ loaded (as `make run` loads it):

- every glossary term is used somewhere a patient reads it, so none is dead weight;
- every long or technical word the plain-English meter flags in published content has a
  glossary term, so a patient can always find out what it means;
- every term has its own page, and a pop-up for it appears on a page that uses it.

"Published content" here is what patients read: the markdown fields and plain-English
titles, names and summaries of published records, treatment types, drug names and the notes
on where treatments are used. Left out on purpose: "Where this information comes from"
lists and official trial titles (quoted exactly from registries and journals), and
people's and organisations' names in trial details.
"""

import re
from collections import defaultdict

import pytest

from netinfo.content_version import content_models
from netinfo.editorial.readability import unexplained_words
from netinfo.models import GlossaryTerm, Page, TumourSite
from tests.html import soup, text_of
from treatments.models import Drug, Treatment, TreatmentType, TreatmentUse
from trials.models import Identifier, Trial

pytestmark = pytest.mark.django_db

# Plain-text fields patients read, besides each model's markdown fields.
PLAIN_FIELDS = ("title", "name", "summary", "other_names", "previous_treatment")

# Proper names in patient text that are not jargon: a glossary entry would not help.
# Trial acronyms and registry numbers are added from the database (each has its own page).
NAMES = frozenset(
    {
        "Jonathan Strosberg",
        "United States",
        "Journal of Neuroendocrinology",
        # Organisations, documents, standards and brand names cited or explained where they
        # stand (issue 19's sources and the pages about the site).
        *("NICE", "MHRA", "TA449", "TA539", "Cancer Drugs Fund", "Scottish Medicines Consortium"),
        *("Macmillan Cancer Support", "University Hospital Southampton", "NPS MedicineWise"),
        *("TerSera Therapeutics", "Novartis", "PubMed Central", "Neuroendocrinology", "Pfizer"),
        *("RxList", "Beating Bowel Cancer", "Great Ormond Street Hospital", "Xermelo", "Welireg"),
        *("Zanosar", "WCAG", "AA", "Lighthouse", "axe-core"),
        "sessionid",  # the name of a cookie, on the privacy page
    }
)


def published_texts():
    """[(where, text)] for everything a patient reads in published content."""
    texts = []
    for model in content_models():
        fields = [*model.markdown_fields]
        fields += [
            name
            for name in PLAIN_FIELDS
            if name not in fields and any(f.name == name for f in model._meta.fields)
        ]
        for record in model.objects.published():
            for name in fields:
                text = getattr(record, name) or ""
                if text.strip():
                    where = f"{model._meta.verbose_name} “{record}”, {name.replace('_', ' ')}"
                    texts.append((where, text))
    for kind in TreatmentType.objects.all():
        texts.append((f"treatment type “{kind}”", f"{kind.name}\n\n{kind.description}"))
    for drug in Drug.objects.filter(treatments__state="published").distinct():
        names = "\n\n".join([drug.generic_name, *drug.brand_names_list])
        texts.append((f"drug “{drug}”", names))
    for use in TreatmentUse.objects.filter(
        treatment__state="published", site__state="published"
    ).select_related("treatment", "site"):
        texts.append((f"where used: {use}", use.note))
    return texts


def forms_of(term):
    return [term.term, *term.forms]


def whole_words(forms):
    alternation = "|".join(r"\s+".join(map(re.escape, form.split())) for form in forms)
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)


def test_the_starting_content_has_a_full_glossary(content):
    terms = GlossaryTerm.objects.published()
    assert terms.count() >= 50
    forms = defaultdict(list)
    for term in terms:
        for form in forms_of(term):
            forms[" ".join(form.lower().split())].append(term.term)
    shared = {form: owners for form, owners in forms.items() if len(owners) > 1}
    assert not shared, f"Each form should belong to one term only: {shared}"


def test_every_hard_word_in_published_content_has_a_glossary_term(content):
    known = [form for term in GlossaryTerm.objects.published() for form in forms_of(term)]
    known += [acronym for acronym in Trial.objects.values_list("acronym", flat=True) if acronym]
    known += Identifier.objects.values_list("value", flat=True)
    known += NAMES
    unexplained = defaultdict(list)
    for where, text in published_texts():
        for word in unexplained_words(text, known):
            unexplained[word.casefold()].append(where)
    report = "\n".join(
        f"  {word}: {'; '.join(places[:3])}{' ...' if len(places) > 3 else ''}"
        for word, places in sorted(unexplained.items())
    )
    assert not unexplained, (
        f"{len(unexplained)} hard words have no glossary term. Add a term (or another form "
        f"of one), or use an everyday word:\n{report}"
    )


def public_pages():
    urls = ["/", "/treatments/", "/trials/", "/glossary/", "/tumour-sites/"]
    for model in (Page, TumourSite, Treatment, Trial, GlossaryTerm):
        urls += [record.get_absolute_url() for record in model.objects.published()]
    return list(dict.fromkeys(urls))


def test_every_term_is_used_on_a_public_page_with_a_pop_up_and_has_its_own_page(client, content):
    """Used means a patient reads it somewhere: on any public page other than the glossary's
    A to Z and the term's own page (another term's definition counts). Markdown text marks
    the first use on each page as a pop-up; plain labels and titles do not."""
    texts = {}  # url -> the words a patient reads there
    headings = {}  # url -> the page's <h1>
    popups = defaultdict(set)  # slug -> pages with a pop-up for it
    for url in public_pages():
        response = client.get(url)
        assert response.status_code == 200, url
        page = soup(response)
        headings[url] = text_of(page.find("h1"))
        if url == "/glossary/":
            pass  # the A to Z lists every term: it shows nothing about their use
        elif url.startswith("/glossary/"):
            texts[url] = " ".join(text_of(part) for part in page.select("main .app-prose"))
        else:
            texts[url] = text_of(page.find("main"))
        for link in page.select("a.app-glossary"):
            slug = link["href"].removeprefix("/glossary/").strip("/")
            assert link["href"] == f"/glossary/{slug}/"
            assert link.get("data-glossary-definition"), f"{url}: pop-up for {slug} is empty"
            popups[slug].add(url)

    unused, without_popup = [], []
    for term in GlossaryTerm.objects.published():
        own = term.get_absolute_url()
        assert headings[own] == term.term
        pattern = whole_words(forms_of(term))
        if not any(url != own and pattern.search(text) for url, text in texts.items()):
            unused.append(term.term)
        elif not popups[term.slug] - {own}:
            without_popup.append(term.term)
    assert not unused, (
        "These glossary terms are not used on any public page (other than their own). Use "
        f"them, or remove them: {', '.join(unused)}"
    )
    assert not without_popup, (
        "No page shows a pop-up for these terms: they are used only in labels, titles or "
        f"plain-text fields. Use them in a page's main text too: {', '.join(without_popup)}"
    )
