"""The plain-English meter: how hard a text is to read, shown to editors while they write.

- Each markdown field on a content admin form (trial summary, treatment sections, tumour site
  overview, glossary definition, page body) gets a meter under it: the reading level
  (textstat's Flesch reading ease and Flesch-Kincaid grade, with a plain label), the sentences
  over 25 words, and the long or technical words with no glossary entry, each with a link to
  add one. It is server-rendered from the text in the box, so it is right when the form
  opens and after every save; static/js/meter.js re-measures as the editor types, through a
  small staff-only endpoint, when JavaScript is on.
- A report lists every published page by reading level, hardest first, with links to edit:
  /admin/readability/ (URL name ``admin:readability_report``).

``ReadabilityAdminMixin`` adds the meter to a ModelAdmin; ``ContentAdmin`` (content_admin) uses
it, so every content admin has it. The report and the endpoint are among the admin site's
URLs (netinfo/admin_site.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import textstat
from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminTextareaWidget
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from netinfo.content_version import content_models
from netinfo.editorial.readability import (
    KNOWN_PHRASES,
    LONG_SENTENCE_WORDS,
    Readability,
    measure,
    unexplained_words,
)
from netinfo.models import GlossaryTerm, lines

AIM = 60  # reading ease to aim for on summaries (see WRITING.md)
MAX_TEXT_LENGTH = 100_000  # characters the live endpoint will measure
REPORT_PAGE_SIZE = 100
METER_TEMPLATE = "admin/netinfo/includes/meter.html"
METER_BODY_TEMPLATE = "admin/netinfo/includes/meter_body.html"


# ---- What the meter knows about the glossary ----


def _key(word):
    return " ".join(word.casefold().split()).removesuffix("s")


class GlossaryIndex:
    """Every glossary term's forms, read from the database once (on first use).

    Published terms explain words (they are the ones marked on pages). A word that only a
    draft term explains is offered for finishing, not for adding a second entry.
    """

    def __init__(self):
        self._loaded = False
        self.known: list[str] = []
        self.drafts: dict[str, int] = {}  # normalised form -> pk of a draft term

    def load(self):
        if self._loaded:
            return self
        rows = GlossaryTerm.objects.values_list("pk", "term", "other_forms", "state")
        for pk, term, other_forms, state in rows:
            forms_ = [term, *lines(other_forms)]
            if state == GlossaryTerm.State.PUBLISHED:
                self.known.extend(forms_)
            else:
                for form in forms_:
                    self.drafts.setdefault(_key(form), pk)
        self._loaded = True
        return self

    @property
    def phrases(self):
        """Phrases to suggest whole: the usual medical ones, and every multi-word draft."""
        return (*KNOWN_PHRASES, *(form for form in self.load().drafts if " " in form))

    def draft_for(self, word):
        return self.load().drafts.get(_key(word))


@dataclass
class HardWord:
    word: str
    add_url: str
    draft_url: str = ""  # a draft term that would explain it, once published


@dataclass
class LongSentence:
    text: str
    words: int


@dataclass
class Meter:
    readability: Readability
    long_sentences: list[LongSentence] = field(default_factory=list)
    hard_words: list[HardWord] = field(default_factory=list)
    aim: int = AIM

    @property
    def empty(self):
        return not self.readability.words

    @property
    def on_target(self):
        return self.readability.reading_ease >= self.aim

    def as_json(self):
        return {
            "reading_ease": self.readability.reading_ease,
            "grade": self.readability.grade,
            "label": self.readability.label,
            "words": self.readability.words,
            "sentences": self.readability.sentences,
            "long_sentences": [
                {"text": item.text, "words": item.words} for item in self.long_sentences
            ],
            "unexplained_words": [
                {"word": item.word, "add_url": item.add_url, "draft_url": item.draft_url}
                for item in self.hard_words
            ],
        }


def add_term_url(word):
    """The glossary's add form with the word (and a slug for it) filled in."""
    query = urlencode({"term": word, "slug": slugify(word)})
    return f"{reverse('admin:netinfo_glossaryterm_add')}?{query}"


def meter_for(text, index=None) -> Meter:
    """Reading level, long sentences (longest first) and unexplained words of markdown text."""
    index = (index or GlossaryIndex()).load()
    readability = measure(text or "")
    long_sentences = sorted(
        (
            LongSentence(sentence, textstat.lexicon_count(sentence))
            for sentence in readability.long_sentences
        ),
        key=lambda item: -item.words,
    )
    hard_words = []
    for word in unexplained_words(text or "", index.known, index.phrases):
        draft = index.draft_for(word)
        draft_url = reverse("admin:netinfo_glossaryterm_change", args=[draft]) if draft else ""
        hard_words.append(HardWord(word, add_term_url(word), draft_url))
    return Meter(readability, long_sentences, hard_words)


# ---- On the edit form ----


class MeterTextarea(AdminTextareaWidget):
    """A textarea with the plain-English meter for its text underneath."""

    def __init__(self, attrs=None, index=None):
        super().__init__(attrs)
        self.index = index

    @property
    def media(self):
        return forms.Media(css={"all": ["css/admin-meter.css"]}, js=["js/meter.js"])

    def render(self, name, value, attrs=None, renderer=None):
        textarea = super().render(name, value, attrs, renderer)
        field_id = self.build_attrs(self.attrs, attrs).get("id", "")
        meter = render_to_string(
            METER_TEMPLATE,
            {
                "meter": meter_for(value or "", self.index),
                "field_id": field_id,
                "measure_url": reverse("admin:readability_measure"),
                "report_url": reverse("admin:readability_report"),
                "long_sentence_words": LONG_SENTENCE_WORDS,
            },
        )
        return mark_safe(f'<div class="app-meter-field">{textarea}{meter}</div>')


def _request_index(request):
    # One glossary read per request, however many fields show a meter.
    if not hasattr(request, "_meter_glossary"):
        request._meter_glossary = GlossaryIndex()
    return request._meter_glossary


class ReadabilityAdminMixin:
    """Adds the plain-English meter under each of the model's markdown fields."""

    def meter_fields(self):
        return tuple(getattr(self.model, "markdown_fields", ()))

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if (
            formfield is not None
            and db_field.name in self.meter_fields()
            and isinstance(formfield.widget, forms.Textarea)
        ):
            formfield.widget = MeterTextarea(
                attrs=formfield.widget.attrs, index=_request_index(request)
            )
        return formfield


# ---- The live endpoint ----


@require_POST
def measure_view(request):
    """The meter for the posted ``text``, as figures and as the HTML the form shows."""
    if not _viewable_models(request.user):
        raise PermissionDenied
    text = request.POST.get("text", "")
    if len(text) > MAX_TEXT_LENGTH:
        return HttpResponseBadRequest("Text too long to measure.")
    meter = meter_for(text, GlossaryIndex())
    html = render_to_string(
        METER_BODY_TEMPLATE,
        {
            "meter": meter,
            "report_url": reverse("admin:readability_report"),
            "long_sentence_words": LONG_SENTENCE_WORDS,
        },
    )
    return JsonResponse({**meter.as_json(), "html": html})


# ---- The report ----


@dataclass
class ReportRow:
    record: object
    kind: str
    reading_ease: float
    grade: float
    label: str
    words: int
    long_sentences: int
    hard_words: int
    edit_url: str = ""


def _title_fields(model):
    names = {f.name for f in model._meta.get_fields()}
    return [name for name in ("title", "name", "term", "acronym") if name in names]


def _page_text(record):
    """What a reader sees of a record, as stored HTML (sources left out: they are citations)."""
    return "\n".join(getattr(record, f"{name}_html") or "" for name in record.markdown_fields)


def _glossary_fingerprint():
    """Changes whenever a glossary term is added, edited or deleted."""
    stamp = GlossaryTerm.objects.aggregate(count=Count("pk"), latest=Max("updated_at"))
    latest = stamp["latest"].timestamp() if stamp["latest"] else 0
    return f"{stamp['count']}-{latest}"


def _record_key(record):
    stamp = record.updated_at.timestamp() if record.updated_at else 0
    return f"{record._meta.label_lower}:{record.pk}:{record.version}:{stamp}"


CACHE_SECONDS = 60 * 60 * 24 * 30


def _measure_record(record, cached, fingerprint, index):
    """(reading level figures, fingerprint, unexplained word count), reusing what is cached."""
    text = _page_text(record)
    if cached is None:
        result = measure(text)
        level = (
            result.reading_ease,
            result.grade,
            result.label,
            result.words,
            len(result.long_sentences),
        )
    else:
        level, cached_fingerprint, hard_words = cached
        if cached_fingerprint == fingerprint:
            return cached
    # The glossary changed since (or nothing was cached): count the words again.
    return level, fingerprint, len(unexplained_words(text, index.load().known))


def report_rows(models=None, user=None):
    """Every published record of the given content models with its figures, hardest first.

    One query per model and up to two for the glossary. Measuring takes milliseconds per
    page, so the figures are cached per record version; the count of unexplained words is
    counted again when the glossary changes.
    """
    index = GlossaryIndex()
    fingerprint = _glossary_fingerprint()
    rows = []
    for model in models or content_models():
        opts = model._meta
        fields = [
            "pk",
            "slug",
            "version",
            "updated_at",
            *_title_fields(model),
            *(f"{name}_html" for name in model.markdown_fields),
        ]
        records = list(model.objects.published().only(*fields).order_by())
        keys = {record.pk: f"meter:{_record_key(record)}" for record in records}
        cached = cache.get_many(keys.values())
        fresh = {}
        can_change = user is None or user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
        for record in records:
            key = keys[record.pk]
            figures = _measure_record(record, cached.get(key), fingerprint, index)
            if figures != cached.get(key):
                fresh[key] = figures
            level, _, hard_words = figures
            edit_url = ""
            if can_change:
                edit_url = reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk]
                )
            kind = str(opts.verbose_name).capitalize()
            rows.append(ReportRow(record, kind, *level, hard_words, edit_url))
        if fresh:
            cache.set_many(fresh, timeout=CACHE_SECONDS)
    rows.sort(key=lambda row: (row.reading_ease, -row.grade, str(row.record)))
    return rows


def _viewable_models(user):
    return [
        model
        for model in content_models()
        if user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
        or user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")
    ]


def report_view(request, site=admin.site):
    """Every published page's reading level, hardest to read first."""
    models = _viewable_models(request.user)
    if not models:
        raise PermissionDenied
    kinds = {model._meta.model_name: model for model in models}
    kind = request.GET.get("kind", "")
    chosen = [kinds[kind]] if kind in kinds else models
    rows = report_rows(chosen, request.user)
    page = Paginator(rows, REPORT_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        **site.each_context(request),
        "title": "Reading level of published pages",
        "subtitle": None,
        "page_obj": page,
        "rows": page.object_list,
        "count": len(rows),
        "below_aim": sum(1 for row in rows if row.reading_ease < AIM),
        "aim": AIM,
        "kind": kind if kind in kinds else "",
        "kinds": [
            (name, str(model._meta.verbose_name_plural).capitalize())
            for name, model in kinds.items()
        ],
        "long_sentence_words": LONG_SENTENCE_WORDS,
    }
    return TemplateResponse(request, "admin/netinfo/readability_report.html", context)
