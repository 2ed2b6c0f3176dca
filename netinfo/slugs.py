"""Web addresses: short slugs for new records, and old addresses that still lead to a record
after its slug changed (read from the record's history, so nothing extra is stored)."""

from django.http import Http404, HttpResponsePermanentRedirect
from django.utils.text import slugify

#: Words a short slug keeps from a title, and its longest length.
SHORT_SLUG_WORDS = 6
SHORT_SLUG_LENGTH = 50
_SMALL_WORDS = frozenset(
    "a an and the of for in on to with by or at from is are that which have has been who".split()
)


def short_slug(title, acronym=""):
    """The acronym's slug when there is one ("cabo-pnet"), else the first few words of the
    title that carry meaning ("lutetium-dotatate-small-bowel-nets"), never cut mid-word."""
    if slugify(acronym):
        return slugify(acronym)[:SHORT_SLUG_LENGTH].strip("-")
    words = [word for word in slugify(title).split("-") if word not in _SMALL_WORDS]
    slug = ""
    for word in words[:SHORT_SLUG_WORDS]:
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > SHORT_SLUG_LENGTH:
            break
        slug = longer
    return slug or slugify(title)[:SHORT_SLUG_LENGTH].strip("-")


def unique_slug(model, base, exclude_pk=None):
    """``base``, or ``base-2``, ``base-3``… whichever no other record of ``model`` uses."""
    taken = set(
        model._base_manager.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def redirect_if_moved(queryset, slug):
    """A permanent redirect to the record of ``queryset`` that once had ``slug`` (its history
    says so), or Http404. Only called when no record has the slug now."""
    history = queryset.model.history.model
    pks = history.objects.filter(slug=slug).order_by("-history_date").values_list("id", flat=True)
    record = queryset.filter(pk__in=pks[:1]).first()
    if record is None or record.slug == slug:
        raise Http404(f"No {queryset.model._meta.verbose_name} is at this address.")
    return HttpResponsePermanentRedirect(record.get_absolute_url())
