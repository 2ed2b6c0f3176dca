"""Keep rendered pages in step with the glossary, and cached pages with deletions.

Each record stores its rendered HTML, glossary pop-ups included, so a change to any glossary
term re-renders every record once, when the change is committed (see netinfo.glossary).

A deletion leaves no ``updated_at`` behind, so it touches ``ContentStamp``: the page cache's
content version then changes (netinfo.page_cache).
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from netinfo.models import ContentStamp, GlossaryTerm
from netinfo.page_cache import versioned_models


@receiver([post_save, post_delete], sender=GlossaryTerm)
def glossary_changed(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: the loader re-renders everything once at the end
        return
    from netinfo.glossary import rerender_all

    transaction.on_commit(rerender_all)


def content_deleted(sender, **kwargs):
    ContentStamp.touch()


# This module is imported once the apps are ready (NetinfoConfig.ready). Only these models:
# a listener for every model would stop Django deleting any other rows in bulk.
for model in versioned_models():
    if model is not ContentStamp:
        post_delete.connect(content_deleted, sender=model, dispatch_uid=f"deleted:{model._meta}")
