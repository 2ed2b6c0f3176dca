from django.shortcuts import get_object_or_404, render

from netinfo.preview import visible
from netinfo.shortlists import TRIAL_LINK_FIELDS
from trials import jsonld, search
from trials.filters import TrialFilter
from trials.models import Trial


def trial_list(request):
    """The trial finder. Every search is a GET link; bad values are left out with a note."""
    finder = TrialFilter(request.GET)
    result = search.paginate(finder.results(), request.GET.get("page"))
    page = result.page
    context = {
        "finder": finder,
        "page_obj": page,
        "count_words": search.count_in_words(page.paginator.count),
        "cards": search.cards(page),
        "page_note": result.note,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
    }
    return render(request, "trials/trial_list.html", context)


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
