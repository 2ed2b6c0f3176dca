from django.shortcuts import get_object_or_404, render

from netinfo.preview import visible
from treatments.models import Treatment


def treatment_list(request):
    treatments = Treatment.objects.published().select_related("type")
    return render(request, "treatments/treatment_list.html", {"treatments": treatments})


def treatment_detail(request, slug):
    treatment = get_object_or_404(visible(request, Treatment), slug=slug)
    return render(
        request, "treatments/treatment_detail.html", {"treatment": treatment, "page": treatment}
    )
