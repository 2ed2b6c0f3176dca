from django.shortcuts import get_object_or_404, render

from netinfo.preview import visible
from netinfo.shortlists import TRIAL_LINK_FIELDS
from trials import jsonld
from trials.finder_page import finder_page
from trials.models import Trial


def trial_list(request):
    """The trial finder. Every search is a GET link; bad values are left out with a note.
    The results and filters are cached per search and content version (``finder_page``)."""
    return render(request, "trials/trial_list.html", {"finder": finder_page(request.GET)})


def trial_detail(request, slug):
    trial = get_object_or_404(visible(request, Trial).for_page(), slug=slug)
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
