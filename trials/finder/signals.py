"""Keep each trial's search words (``trials.finder.search_text``) in step with what they
are made of.

Each change refreshes the trials it touches at once, in the same transaction, so the next
search sees it. Fixtures (raw saves) are skipped, as for the glossary: ``load_content``
refreshes every trial once at the end. Deleting a trial deletes its row by cascade.

Only the links the finder's words follow matter: a trial's tumour sites, treatments and
drugs. A drug's treatments only count towards the treatment filter, never words.
"""

from django.db.models import QuerySet
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_save,
    pre_delete,
    pre_save,
)
from django.dispatch import receiver

from netinfo.models import TumourSite
from netinfo.signals import content_loaded
from treatments.models import Drug, Treatment
from trials.finder.search_text import refresh, write_new
from trials.models import Identifier, Trial

# What a trial can be found by, on the things it links to; and how they link.
WORDS = {
    TumourSite: ("name", "state"),
    Treatment: ("name", "other_names", "state"),
    Drug: ("generic_name", "brand_names"),
}
LINKS = {
    TumourSite: (Trial.sites.through, "tumoursite_id"),
    Treatment: (Trial.treatments.through, "treatment_id"),
    Drug: (Trial.drugs.through, "drug_id"),
}


def _linked_trials(instance):
    through, column = LINKS[type(instance)]
    return list(through.objects.filter(**{column: instance.pk}).values_list("trial_id", flat=True))


@receiver(post_save, sender=Trial)
def trial_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    if created:
        write_new(instance)
    else:
        refresh([instance.pk])


@receiver(post_save, sender=Identifier)
def identifier_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh([instance.trial_id])


@receiver(post_delete, sender=Identifier)
def identifier_deleted(sender, instance, origin=None, **kwargs):
    # When the trial itself is being deleted, a new row for it would outlive it.
    if isinstance(origin, Trial) or (isinstance(origin, QuerySet) and origin.model is Trial):
        return
    refresh([instance.trial_id])


def _links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not reverse:  # trial.sites.add(site): one trial
        if action in ("post_add", "post_remove", "post_clear"):
            refresh([instance.pk])
    elif action == "pre_clear":  # site.trials.clear(): the trials are gone by post_clear
        instance._search_text_trials = _linked_trials(instance)
    elif action == "post_clear":
        refresh(instance.__dict__.pop("_search_text_trials", []))
    elif action in ("post_add", "post_remove"):
        refresh(pk_set)


m2m_changed.connect(_links_changed, sender=Trial.sites.through)
m2m_changed.connect(_links_changed, sender=Trial.treatments.through)
m2m_changed.connect(_links_changed, sender=Trial.drugs.through)


@receiver(pre_save, sender=TumourSite)
@receiver(pre_save, sender=Treatment)
@receiver(pre_save, sender=Drug)
def note_new_words(sender, instance, raw=False, **kwargs):
    """Whether a save changes what finds the linked trials: most edits (an overview, a
    review date) do not, and a tumour site can have thousands of trials."""
    fields = WORDS[sender]
    before = None
    if not raw and instance.pk is not None:
        before = sender._base_manager.filter(pk=instance.pk).values_list(*fields).first()
    now = tuple(getattr(instance, name) for name in fields)
    instance._search_text_changed = before is not None and before != now


@receiver(post_save, sender=TumourSite)
@receiver(post_save, sender=Treatment)
@receiver(post_save, sender=Drug)
def words_saved(sender, instance, raw=False, **kwargs):
    if not raw and instance.__dict__.pop("_search_text_changed", False):
        refresh(_linked_trials(instance))


@receiver(pre_delete, sender=TumourSite)
@receiver(pre_delete, sender=Treatment)
@receiver(pre_delete, sender=Drug)
def note_linked_trials(sender, instance, **kwargs):
    instance._search_text_trials = _linked_trials(instance)


@receiver(post_delete, sender=TumourSite)
@receiver(post_delete, sender=Treatment)
@receiver(post_delete, sender=Drug)
def words_deleted(sender, instance, **kwargs):
    refresh(instance.__dict__.pop("_search_text_trials", []))


@receiver(content_loaded, dispatch_uid="trials.finder.signals.search_text_after_bulk_load")
def search_text_after_bulk_load(sender, **kwargs):
    """Content written in bulk (load_content, rerender_content): every trial's search text
    afresh, as the per-record signals did not run."""
    refresh()
