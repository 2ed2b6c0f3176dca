"""The glossary as the content pipeline sees it: one matcher over every published term."""

from django.apps import apps

from netinfo.content import GlossaryEntry, GlossaryMatcher, plain_text


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


def rerender_all(batch_size=500):
    """Re-render every content record with the current glossary. Returns how many were saved.

    Uses bulk_update: no save() signals, no history rows, no version bump, because the text
    the editors wrote has not changed, only how it is marked up. Touches ``ContentStamp``
    instead, so that cached pages are worked out again.
    """
    from netinfo.models import ContentStamp

    matcher = current_matcher()
    count = 0
    for model in content_models():
        fields = [f"{name}_html" for name in (*model.markdown_fields, "sources")]
        batch = []
        for record in model.objects.iterator(chunk_size=batch_size):
            record.render(matcher)
            batch.append(record)
            if len(batch) >= batch_size:
                model.objects.bulk_update(batch, fields)
                count += len(batch)
                batch = []
        if batch:
            model.objects.bulk_update(batch, fields)
            count += len(batch)
    ContentStamp.touch()
    return count
