"""The questions lists and pages ask of trials: published, active (confirmed open), the
registry each is checked on, and everything the trial page follows."""

from django.db import models

from netinfo.models import Content, ContentQuerySet, TumourSite
from treatments.models import Treatment
from trials.choices import ACTIVE_STATUSES
from trials.models.identifiers import Identifier
from trials.status import REGISTRY_ORDER, confirmed_since


class TrialQuerySet(ContentQuerySet):
    def published(self):
        return self.filter(state=Content.State.PUBLISHED)

    def active(self, today=None):
        """Trials a patient could ask to join: open or opening soon, as confirmed by a registry
        check in the last ``TRIAL_STATUS_MAX_AGE_DAYS`` days (``trials.status``)."""
        return self.filter(
            status__in=ACTIVE_STATUSES, registry_checked__gte=confirmed_since(today)
        ).with_registry()

    def with_registry(self):
        """Each trial with ``checked_registry``: the kind of registry number its status is
        checked against (ClinicalTrials.gov's first), in the same query, so a list can say
        "checked on ClinicalTrials.gov" without a query per trial."""
        ranked = (
            Identifier.objects.filter(trial=models.OuterRef("pk"))
            .annotate(
                rank=models.Case(
                    *(models.When(kind=kind, then=i) for i, kind in enumerate(REGISTRY_ORDER)),
                    default=len(REGISTRY_ORDER),
                    output_field=models.IntegerField(),
                )
            )
            .order_by("rank", "value")
            .values("kind")[:1]
        )
        return self.annotate(checked_registry=models.Subquery(ranked))

    def for_page(self):
        """Everything the trial page follows, fetched in a fixed number of queries."""
        return self.prefetch_related(
            # Only published sites: a draft one is not named on a published page.
            models.Prefetch("sites", queryset=TumourSite.objects.published()),
            "drugs",
            "identifiers",
            "locations",
            "publications",
            models.Prefetch(
                "treatments",
                queryset=Treatment.objects.published(),
                to_attr="published_treatments",
            ),
        )
