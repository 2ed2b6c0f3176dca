from django.shortcuts import render

from netinfo import slugs
from netinfo.caching.page_cache import cached_page
from netinfo.preview import visible
from netinfo.shortlists import TRIAL_LINK_FIELDS
from trials import jsonld
from trials.finder import page as finder_page
from trials.models import Trial


@cached_page(params=finder_page.PARAMETERS)
def trial_list(request):
    """The trial finder. Every search is a GET link; bad values are left out with a note."""
    return render(request, "trials/trial_list.html", finder_page.context(request.GET))


@cached_page
def trial_detail(request, slug):
    trial = visible(request, Trial).for_page().filter(slug=slug).first()
    if trial is None:
        return slugs.redirect_if_moved(visible(request, Trial), slug)
    context = {
        "trial": trial,
        "page": trial,
        "sources_shown": True,  # the trial page lists its sources in page order
        "related_trials": list(trial.related_trials().only(*TRIAL_LINK_FIELDS)),
        "jsonld": jsonld.script(
            jsonld.medical_trial(trial, request.build_absolute_uri(trial.get_absolute_url()))
        ),
    }
    return render(request, "trials/trial_detail.html", context)
