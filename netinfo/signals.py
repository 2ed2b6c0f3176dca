"""Keep rendered pages in step with the glossary, and cached pages with every change.

Each record stores its rendered HTML, glossary pop-ups included, so a change to any glossary
term re-renders every record once, when the change is committed (see netinfo.glossary).

Cached pages and the finder index are kept per content version (netinfo.caching.page_cache): the
latest ``updated_at`` of each versioned model. Some changes leave no ``updated_at`` behind,
so they touch ``ContentStamp`` instead:

- deleting a versioned record;
- saving or deleting a part of one that has no ``updated_at`` of its own (``PARTS``: a
  trial's places, registry numbers and publications, a treatment's uses);
- linking or unlinking records (a trial's tumour sites, treatments and drugs; a drug's
  treatments), from either side.

The admin saves the record with its parts anyway; this is for code that does not (the
importer, a shell, a test), so that no edit waits for the cache to expire.

``content_loaded`` is sent after content is written in bulk, without the per-record
signals (``load_content``, ``rerender_content``): each app brings what it derives from
its records up to date (the trials app, the finder's search text).
"""

from django.apps import apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal, receiver

from netinfo.caching.page_cache import versioned_models
from netinfo.editorial import history_links
from netinfo.glossary import content_models
from netinfo.models import ContentStamp, GlossaryTerm

#: Sent after content was written in bulk (raw loads skip the per-record signals).
content_loaded = Signal()


def record_deleted(sender, instance, **kwargs):
    from netinfo.glossary import forget_uses

    forget_uses(sender, instance.pk)


@receiver([post_save, post_delete], sender=GlossaryTerm)
def glossary_changed(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: the loader re-renders everything once at the end
        return
    from netinfo.glossary import rerender_all

    transaction.on_commit(rerender_all)


PARTS = ("treatments.TreatmentUse", "trials.Identifier", "trials.Location", "trials.Publication")


def content_changed(sender, raw=False, **kwargs):
    if not raw:  # loaddata: the loader touches it once at the end
        ContentStamp.touch()


def links_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        ContentStamp.touch()


# This module is imported once the apps are ready (NetinfoConfig.ready). Only these models:
# a listener for every model would stop Django deleting any other rows in bulk.
for model in content_models():
    post_delete.connect(record_deleted, sender=model, dispatch_uid=f"uses:{model._meta}")
for model in versioned_models():
    if model is not ContentStamp:
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"deleted:{model._meta}")
    for field in model._meta.local_many_to_many:
        through = field.remote_field.through
        m2m_changed.connect(links_changed, sender=through, dispatch_uid=f"links:{through._meta}")
for name in PARTS:
    part = apps.get_model(name)
    for signal in (post_save, post_delete):
        signal.connect(content_changed, sender=part, dispatch_uid=f"part:{name}")

# A record's links and rows beside each history entry (netinfo.editorial.history_links).
history_links.connect()
