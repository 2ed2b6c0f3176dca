"""The questions the treatment pages ask of the database, answerable without a request.

treatments may not import trials (cross-app imports go one way), so trials are reached
through the reverse relations Trial declares (``treatment.trials``, ``drug.trials``), whose
managers are Trial's own: ``published()`` and ``active()`` work on them.
"""

from dataclasses import dataclass

from django.db.models import Prefetch, Q

from netinfo.models import Content, TumourSite
from netinfo.shortlists import TRIAL_LINK_FIELDS, shortlist
from treatments.models import Drug, Grade, Treatment, TreatmentUse

PUBLISHED = Content.State.PUBLISHED

# The headings patients see, in page order, for each plain-English section of a treatment.
SECTIONS = (
    ("what-it-is", "What it is", "what_it_is_html"),
    ("how-you-have-it", "How you have it", "how_you_have_it_html"),
    ("what-it-can-do", "What it can do", "what_it_can_do_html"),
    ("side-effects", "Possible side effects", "side_effects_html"),
    ("questions", "Questions to ask your doctor", "questions_html"),
)


@dataclass(frozen=True)
class Section:
    id: str
    heading: str
    html: str


def sections(treatment):
    """The treatment's sections that have something in them, in page order."""
    return [
        Section(id_, heading, getattr(treatment, field))
        for id_, heading, field in SECTIONS
        if getattr(treatment, field).strip()
    ]


def published_uses():
    """Uses patients may see: the site must be published too."""
    return TreatmentUse.objects.filter(site__state=PUBLISHED)


def matching_uses(site=None, grade=None):
    """The uses at ``site`` (a TumourSite) that cover ``grade`` (a Grade); None means any."""
    uses = published_uses()
    if site is not None:
        uses = uses.filter(site=site)
    if grade is not None:
        uses = uses.filter(grade_from__lte=grade, grade_to__gte=grade)
    return uses


def search_treatments(queryset, q):
    """Treatments whose name, other names, or any drug's generic or brand name contains q."""
    drug_links = Drug.treatments.through.objects.filter(
        Q(drug__generic_name__icontains=q) | Q(drug__brand_names__icontains=q)
    )
    return queryset.filter(
        Q(name__icontains=q)
        | Q(other_names__icontains=q)
        | Q(pk__in=drug_links.values("treatment_id"))
    )


def treatment_options(site=None, grade=None, q=""):
    """Published treatments, optionally used at ``site`` for ``grade`` and matching ``q``.

    Site and grade must hold for the same use: a treatment used for G1 small bowel NETs and
    G3 pancreatic NETs is not an option for G1 pancreatic NETs. When a site or grade is given,
    each treatment carries the uses that matched in ``matching_uses``, so the list can say
    how it is used there.
    """
    treatments = (
        Treatment.objects.published()
        .select_related("type")
        .order_by("type__order", "type__name", "order", "name")
    )
    if site is not None or grade is not None:
        uses = matching_uses(site, grade)
        treatments = treatments.filter(pk__in=uses.values("treatment_id")).prefetch_related(
            Prefetch(
                "uses",
                queryset=uses.select_related("site").order_by(
                    "site__order", "site__name", "grade_from", "grade_to"
                ),
                to_attr="matching_uses",
            )
        )
    if q:
        treatments = search_treatments(treatments, q)
    return treatments


def group_by_type(treatments):
    """[(TreatmentType, [Treatment, ...]), ...] in the order the treatments come in."""
    groups = {}
    for treatment in treatments:
        groups.setdefault(treatment.type, []).append(treatment)
    return list(groups.items())


def treatment_page(queryset):
    """The treatment queryset for one page: its type, drugs and published uses in one go."""
    return queryset.select_related("type").prefetch_related(
        Prefetch("drugs", queryset=Drug.objects.order_by("generic_name")),
        Prefetch(
            "uses",
            queryset=published_uses()
            .select_related("site")
            .order_by("site__order", "site__name", "grade_from", "grade_to"),
            to_attr="published_uses",
        ),
    )


def trials_testing(treatment):
    """Published trials that test the treatment, directly or through one of its drugs."""
    trials = treatment.trials.model.objects.published()
    through_drugs = Drug.trials.through.objects.filter(drug__treatments=treatment)
    return trials.filter(
        Q(pk__in=treatment.trials.through.objects.filter(treatment=treatment).values("trial_id"))
        | Q(pk__in=through_drugs.values("trial_id"))
    )


def trials_by_status(treatment):
    """(trials a patient could still join, other trials): each the first few, with how many
    there are in all (``netinfo.shortlists``), so the page does not grow with the trials.
    A trial could still be joined only if a recent registry check says it is open or opening
    soon (``active()``); the others include trials whose status is not confirmed or not
    known, so their list is not called "closed"."""
    trials = trials_testing(treatment).only(*TRIAL_LINK_FIELDS)
    active = trials.active()
    return (
        # "open" sorts before "opening_soon": trials taking people now come first.
        shortlist(active.order_by("status", "title")),
        shortlist(trials.exclude(pk__in=active.values("pk")).with_registry().order_by("title")),
    )


def grade_choices():
    return [(grade.slug, grade.label) for grade in Grade]


def published_sites():
    return list(TumourSite.objects.published().only("name", "slug"))
