from django.shortcuts import get_object_or_404, render

from netinfo.preview import visible
from trials.models import Trial


def trial_list(request):
    trials = Trial.objects.published().active()
    return render(request, "trials/trial_list.html", {"trials": trials})


def trial_detail(request, slug):
    trial = get_object_or_404(visible(request, Trial), slug=slug)
    return render(request, "trials/trial_detail.html", {"trial": trial, "page": trial})
