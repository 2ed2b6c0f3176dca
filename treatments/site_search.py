"""What the site-wide search (``sitesearch``, at /search/) can find here: published
treatments, called by their names, other names and their drugs' names."""

from django.db.models import Prefetch

from netinfo.site_search import SearchItem, words_of
from treatments.models import Drug, Treatment

DRUG_NAMES = Drug.objects.only("generic_name", "brand_names")
TEXTS = Treatment.markdown_fields


def items():
    treatments = (
        Treatment.objects.published()
        .select_related("type")
        .prefetch_related(
            Prefetch("drugs", queryset=Drug.objects.only("generic_name", "brand_names"))
        )
    )
    found = []
    for treatment in treatments:
        drugs = [
            name
            for drug in treatment.drugs.all()
            for name in (drug.generic_name, *drug.brand_names.split(","))
        ]
        found.append(
            SearchItem(
                "Treatments",
                treatment.name,
                treatment.get_absolute_url(),
                treatment.summary,
                names=[treatment.name, *treatment.other_names.splitlines(), *drugs],
                text="\n".join(
                    [
                        treatment.type.name,
                        treatment.summary,
                        *(
                            words_of(getattr(treatment, f"{name}_html"))
                            for name in Treatment.markdown_fields
                        ),
                    ]
                ),
            )
        )
    return found
