from django.shortcuts import redirect, render

from netinfo.caching.page_cache import cached_page
from sitesearch.search import search as search_site


@cached_page(params=("q",))
def search(request):
    """/search/?q=: treatments, tumour sites, glossary terms, pages and trials, by kind. A
    registry number that names one trial goes straight to it."""
    result = search_site(request.GET.get("q", ""))
    if result.redirect_url:
        return redirect(result.redirect_url)
    return render(request, "sitesearch/results.html", {"result": result})
