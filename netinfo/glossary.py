"""The glossary as the content pipeline sees it: each record stores its rendered HTML,
glossary pop-ups included, so a change to any glossary term re-renders every record once,
when the change is committed (``rerender_all``); and where each term is used
(``GlossaryUse``, written on every save) forgets a record when it is deleted."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from netinfo.content_version import content_models
from netinfo.models import ContentStamp, GlossaryTerm, GlossaryUse


@transaction.atomic
def rerender_all(batch_size=500):
    """Re-render every content record with the current glossary. Returns how many were saved.

    Uses bulk_update: no save() signals, no history rows, no version bump, because the text
    the editors wrote has not changed, only how it is marked up. Touches ``ContentStamp``
    instead, so that cached pages are worked out again. Writes which terms each record
    explains (``GlossaryUse.record``). All or nothing: one transaction.
    """
    matcher = GlossaryTerm.published_matcher()
    count = 0
    for model in content_models():
        fields = model.rendered_fields()
        batch = []
        for record in model.objects.iterator(chunk_size=batch_size):
            record.render(matcher)
            batch.append(record)
            if len(batch) >= batch_size:
                model.objects.bulk_update(batch, fields)
                GlossaryUse.record(model, batch)
                count += len(batch)
                batch = []
        if batch:
            model.objects.bulk_update(batch, fields)
            GlossaryUse.record(model, batch)
            count += len(batch)
    ContentStamp.touch()
    return count


@receiver([post_save, post_delete], sender=GlossaryTerm, dispatch_uid="glossary_changed")
def glossary_changed(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: the loader re-renders everything once at the end
        return
    transaction.on_commit(rerender_all)


def record_deleted(sender, instance, **kwargs):
    GlossaryUse.forget(sender, instance.pk)


def follow(model):
    """Forget where terms are used on a deleted record of ``model`` (a content model: see
    ``netinfo.apps``). Only these models: a listener for every model would stop Django
    deleting any other rows in bulk."""
    post_delete.connect(record_deleted, sender=model, dispatch_uid=f"uses:{model._meta}")
