"""Keep rendered pages in step with the glossary.

Each record stores its rendered HTML, glossary pop-ups included, so a change to any glossary
term re-renders every record once, when the change is committed (see netinfo.glossary).
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from netinfo.models import GlossaryTerm


@receiver([post_save, post_delete], sender=GlossaryTerm)
def glossary_changed(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: the loader re-renders everything once at the end
        return
    from netinfo.glossary import rerender_all

    transaction.on_commit(rerender_all)
