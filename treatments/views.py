from django.shortcuts import get_object_or_404, render

from netinfo import list_pages
from netinfo.caching.page_cache import cached_page
from netinfo.models import Page
from netinfo.preview import visible
from treatments import queries
from treatments.filters import TreatmentFilterForm
from treatments.models import Treatment

# An editor can replace the built-in grade explainer with a site page of this slug.
GRADES_PAGE_SLUG = "grades"


@cached_page(params=TreatmentFilterForm.base_fields)
def treatment_list(request):
    form = TreatmentFilterForm(request.GET, sites=queries.published_sites())
    site, grade, q = form.choices
    treatments = queries.treatment_options(site=site, grade=grade, q=q)
    groups = queries.group_by_type(treatments)
    context = {
        "form": form,
        "site": site,
        "grade": grade,
        "q": q,
        "groups": groups,
        "count": sum(len(items) for _, items in groups),
        "grades_page": Page.objects.published().filter(slug=GRADES_PAGE_SLUG).first(),
        "page": list_pages.record(list_pages.TREATMENTS),  # its review dates and sources
    }
    return render(request, "treatments/treatment_list.html", context)


@cached_page
def treatment_detail(request, slug):
    treatment = get_object_or_404(queries.treatment_page(visible(request, Treatment)), slug=slug)
    active_trials, other_trials = queries.trials_by_status(treatment)
    context = {
        "treatment": treatment,
        "page": treatment,
        "sections": queries.sections(treatment),
        "active_trials": active_trials,
        "other_trials": other_trials,
    }
    return render(request, "treatments/treatment_detail.html", context)
