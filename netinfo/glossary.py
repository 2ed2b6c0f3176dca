"""The glossary as the content pipeline sees it: one matcher over every published term."""

from django.apps import apps
from django.db import transaction

from netinfo.content import GlossaryEntry, GlossaryMatcher, glossary_slugs, plain_text


def current_matcher():
    from netinfo.models import GlossaryTerm

    terms = GlossaryTerm.objects.published().only("slug", "term", "other_forms", "definition")
    return GlossaryMatcher(
        GlossaryEntry(
            slug=term.slug,
            term=term.term,
            forms=tuple(term.forms),
            definition=plain_text(term.definition),
        )
        for term in terms
    )


def content_models():
    """Every concrete model whose records carry rendered markdown."""
    from netinfo.models import Content

    return [
        model
        for model in apps.get_models()
        if issubclass(model, Content) and not model._meta.abstract
    ]


def record_uses(model, records):
    """Write which glossary terms each record's stored HTML explains (``GlossaryUse``),
    replacing what was written for them before. Two queries for any number of records; the
    caller keeps batches under SQLite's limit of parameters (999)."""
    from netinfo.models import GlossaryUse

    kind = model._meta.label_lower
    GlossaryUse.objects.filter(kind=kind, record_id__in=[record.pk for record in records]).delete()
    GlossaryUse.objects.bulk_create(
        GlossaryUse(term_slug=slug, kind=kind, record_id=record.pk)
        for record in records
        for slug in sorted(glossary_slugs(*record.rendered_html()))
    )


def forget_uses(model, record_id):
    from netinfo.models import GlossaryUse

    GlossaryUse.objects.filter(kind=model._meta.label_lower, record_id=record_id).delete()


@transaction.atomic
def rerender_all(batch_size=500):
    """Re-render every content record with the current glossary. Returns how many were saved.

    Uses bulk_update: no save() signals, no history rows, no version bump, because the text
    the editors wrote has not changed, only how it is marked up. Touches ``ContentStamp``
    instead, so that cached pages are worked out again. Writes which terms each record
    explains (``record_uses``). All or nothing: one transaction.
    """
    from netinfo.models import ContentStamp

    matcher = current_matcher()
    count = 0
    for model in content_models():
        fields = model.rendered_fields()
        batch = []
        for record in model.objects.iterator(chunk_size=batch_size):
            record.render(matcher)
            batch.append(record)
            if len(batch) >= batch_size:
                model.objects.bulk_update(batch, fields)
                record_uses(model, batch)
                count += len(batch)
                batch = []
        if batch:
            model.objects.bulk_update(batch, fields)
            record_uses(model, batch)
            count += len(batch)
    ContentStamp.touch()
    return count
