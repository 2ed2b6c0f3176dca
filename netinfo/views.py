"""Core pages: home, site pages, tumour sites, glossary, health check, errors."""

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from netinfo import feedback as feedback_checks
from netinfo import glossary_pages, list_pages
from netinfo.caching.page_cache import cached_page
from netinfo.clients import client_address
from netinfo.feedback import FeedbackForm, safe_return_path
from netinfo.models import GlossaryTerm, Page, TumourSite
from netinfo.preview import visible
from netinfo.shortlists import TRIAL_LINK_FIELDS, shortlist


@cached_page
def home(request):
    intro = Page.objects.published().filter(slug="home").first()
    sites = TumourSite.objects.published().only("name", "slug", "summary")
    return render(request, "netinfo/home.html", {"page": intro, "sites": sites})


@cached_page
def page(request, slug):
    page = get_object_or_404(visible(request, Page), slug=slug)
    return render(request, "netinfo/page.html", {"page": page})


@cached_page
def tumour_site_list(request):
    sites = TumourSite.objects.published().only("name", "slug", "summary")
    context = {"sites": sites, "page": list_pages.record(list_pages.TUMOUR_SITES)}
    return render(request, "netinfo/tumour_site_list.html", context)


@cached_page
def tumour_site(request, slug):
    """One site: its overview, the published treatments used there and the trials open there
    (the first few, with how many there are and a link to the finder for all of them).

    netinfo may not import treatments or trials, so both lists come through the reverse
    relations those apps declare (``treatment_uses``, ``trials``).
    """
    site = get_object_or_404(visible(request, TumourSite), slug=slug)
    uses = (
        site.treatment_uses.filter(treatment__state=TumourSite.State.PUBLISHED)
        .select_related("treatment")
        .order_by(
            "grade_from",
            "grade_to",
            "treatment__type__order",
            "treatment__order",
            "treatment__name",
        )
    )
    # "open" sorts before "opening_soon": trials taking people now come first.
    trials = shortlist(
        site.trials.published().active().only(*TRIAL_LINK_FIELDS).order_by("status", "title")
    )
    context = {"site": site, "page": site, "uses": uses, "trials": trials}
    return render(request, "netinfo/tumour_site.html", context)


@cached_page(params=("q",))
def glossary_list(request):
    """A to Z of published terms; ?q= filters on the term, its other forms and definition."""
    query = glossary_pages.clean_query(request.GET.get("q"))
    terms = glossary_pages.filter_terms(GlossaryTerm.objects.published(), query)
    terms = list(terms.only("term", "slug", "definition_html"))
    context = {
        "letters": glossary_pages.a_to_z(terms),
        "count": len(terms),
        "query": query,
        "page": list_pages.record(list_pages.GLOSSARY),
    }
    return render(request, "netinfo/glossary_list.html", context)


@cached_page
def glossary_term(request, slug):
    term = get_object_or_404(visible(request, GlossaryTerm), slug=slug)
    context = {
        "term": term,
        "page": term,
        "sites": term.tumour_sites.published().only("name", "slug"),
        "used_on": glossary_pages.pages_using(term),
    }
    return render(request, "netinfo/glossary_term.html", context)


@csrf_exempt  # the form carries no token, so pages are the same for everyone: netinfo.feedback
@require_POST
def feedback(request):
    """Store a "Was this page helpful?" answer, then say thank you. No JavaScript needed."""
    form = FeedbackForm(request.POST)
    back = safe_return_path(request.POST.get("path"))
    if not feedback_checks.from_this_site(request):
        context = {"outcome": "elsewhere", "back": back}
        return render(request, "netinfo/feedback_thanks.html", context, status=403)
    client = feedback_checks.client_key(client_address(request))
    if not feedback_checks.allow(client):
        context = {"outcome": "limited", "back": back}
        return render(request, "netinfo/feedback_thanks.html", context, status=429)
    if not form.is_valid():
        context = {"outcome": "invalid", "form": form, "back": back}
        return render(request, "netinfo/feedback_thanks.html", context, status=400)
    if not request.POST.get(feedback_checks.HONEYPOT):  # a robot filled the hidden box
        form.save(client=client)
    thanks = reverse("netinfo:feedback_thanks")
    return redirect(f"{thanks}?{urlencode({'from': form.cleaned_data['path']})}")


@require_GET
def feedback_thanks(request):
    back = safe_return_path(request.GET.get("from"))
    return render(request, "netinfo/feedback_thanks.html", {"outcome": "thanks", "back": back})


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers a query and the cache keeps a value, 503 when either
    does not: every page needs both."""
    checks = {"database": "ok", "cache": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        checks["database"] = "unreachable"
    try:
        key = f"healthz:{get_random_string(12)}"  # one per check: servers share a cache
        cache.set(key, "ok", timeout=10)
        if cache.get(key) != "ok":
            checks["cache"] = "not keeping values"
        cache.delete(key)
    except Exception:  # each backend raises its own errors (redis, memcached)
        checks["cache"] = "unreachable"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's)."""
    return redirect(static("favicon.svg"), permanent=True)


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
        f"Disallow: {reverse('netinfo:feedback')}",
        # The host this was asked on, like the sitemap's own links: right wherever it runs.
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors or database: this page must render when things are broken.
    return HttpResponse(loader.get_template("500.html").render(), status=500)
