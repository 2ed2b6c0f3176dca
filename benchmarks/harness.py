"""Benchmark: synthetic content at growing sizes, and each page type measured against a
trivial Django view in the same run. Used by ``python manage.py bench``; the content is
made by benchmarks/synthetic.py.

Figures per page: median and 95th-percentile server time (Django test client: the whole
middleware stack and template rendering, no network), SQL queries, and response size raw
and gzip-compressed (HTML, and HTML + the page's CSS and JS, as a browser would fetch them).

Every public page is cached per address and content version (netinfo.caching.page_cache), so each
page type is measured twice: "cached", the same page asked again (what most visitors get),
and "cold", with the cache emptied before every timed request (a search nobody asked
before). The finder also keeps an index of the trials per content version, in memory
(trials.finder.index); "after an edit" empties that too, as the first search after an
edit finds it.
"""

from __future__ import annotations

import gzip
import re
import statistics
import time
from dataclasses import asdict, dataclass

from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import include, path

from benchmarks.synthetic import Generator
from sitesearch import search as site_search
from trials.finder import index as finder_index


def trivial_view(request):
    return HttpResponse("ok")


# The site's own URLs plus one trivial view to compare against.
urlpatterns = [
    path("__bench/trivial/", trivial_view),
    path("", include("netinfo.urls")),
]


@dataclass
class Figure:
    size: int
    page: str
    url: str
    status: int
    median_ms: float
    p95_ms: float
    queries: int
    html_bytes: int
    html_gzip_bytes: int
    total_gzip_bytes: int
    ratio: float = 0.0
    cold: bool = False  # the cache was emptied before each request


def empty_cache():
    cache.clear()


def as_after_an_edit():
    """What an edit empties: the pages worked out, and the finder index."""
    cache.clear()
    finder_index.forget()
    site_search.forget()


_ASSET = re.compile(r'<(?:link|script)[^>]+(?:href|src)="(/static/[^"]+)"')


def asset_gzip_bytes(html, memo={}):  # noqa: B006 - deliberate per-run memo
    total = 0
    for url in set(_ASSET.findall(html)):
        if url not in memo:
            name = url.removeprefix("/static/")
            found = finders.find(name)
            memo[url] = len(gzip.compress(open(found, "rb").read())) if found else 0
        total += memo[url]
    return total


def measure(client, size, page, url, repeat, empty=None):
    """``empty``: called before each request, to measure the page worked out afresh."""
    client.get(url)  # warm: template loading, first-query caches (and the page cache)
    times = []
    for _ in range(repeat):
        if empty:
            empty()
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    if empty:
        empty()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    body = response.content
    html_gzip = len(gzip.compress(body))
    times.sort()
    return Figure(
        size=size,
        page=page,
        url=url,
        status=response.status_code,
        median_ms=round(statistics.median(times), 2),
        p95_ms=round(times[min(len(times) - 1, int(len(times) * 0.95))], 2),
        queries=len(queries),
        html_bytes=len(body),
        html_gzip_bytes=html_gzip,
        total_gzip_bytes=html_gzip + asset_gzip_bytes(body.decode(errors="replace")),
        cold=empty is not None,
    )


def pages(content):
    """(page type, URL, what to empty before each request) for each page to measure in
    ``content`` (a ``synthetic.Generator``):
        the trivial view first, then every page type from the cache and cold, and the
        finder after an edit (see the module's notes)."""
    trial = content.models["trial"].objects.order_by("pk")[content.trials // 2]
    nct = trial.identifiers.get().value
    pages = [
        ("home", "/"),
        ("trial finder", "/trials/"),
        ("finder: filters + words", "/trials/?site=pancreas&phase=2&grade=g2&q=lanreotide"),
        ("finder: identifier", f"/trials/?q={nct}"),
        ("finder: page 5", "/trials/?status=closed&status=results&page=5"),
        ("trial page", trial.get_absolute_url()),
        ("treatments", "/treatments/"),
        ("treatments: site + grade", "/treatments/?site=pancreas&grade=g2"),
        ("treatment page", content.treatments[0].get_absolute_url()),
        ("tumour site", content.sites[1].get_absolute_url()),
        ("glossary", "/glossary/"),
        ("glossary term", "/glossary/placebo/"),
        ("finder: near Leeds, 50 miles", "/trials/?near=Leeds&within=50"),
        ("finder: near + filters, p2", "/trials/?near=Leeds&within=100&grade=g2&page=2"),
        ("site search: lanreotide", "/search/?q=lanreotide"),
        ("site search: a term", "/search/?q=placebo"),
    ]
    return [
        ("trivial view", "/__bench/trivial/", None),
        *[(f"{name}, cached", url, None) for name, url in pages],
        *[(f"{name}, cold", url, empty_cache) for name, url in pages],
        ("trial finder, after an edit", "/trials/", as_after_an_edit),
        ("finder near Leeds, after an edit", "/trials/?near=Leeds&within=50", as_after_an_edit),
        ("site search, after an edit", "/search/?q=lanreotide", as_after_an_edit),
    ]


def run(sizes, repeat, out=print):
    generator = Generator()
    generator.base()
    client = Client()
    figures = []
    for size in sizes:
        out(f"Growing to {size:,} published trials...")
        generator.grow_to(size)
        cache.clear()
        measured = pages(generator)
        rows = [measure(client, size, page, url, repeat, empty) for page, url, empty in measured]
        trivial = rows[0].median_ms or 0.001
        for row in rows:
            row.ratio = round(row.median_ms / trivial, 1)
        figures.extend(rows)
        out(table(rows))
    return [asdict(figure) for figure in figures]


def table(rows):
    header = (
        f"{'trials':>7} {'page':<32} {'status':>6} {'median ms':>9} {'p95 ms':>7} "
        f"{'x trivial':>9} {'queries':>7} {'HTML KB':>7} {'gz KB':>6} {'+CSS/JS gz':>10}"
    )
    lines = [header, "-" * len(header)]
    for r in rows:
        lines.append(
            f"{r.size:>7,} {r.page:<32} {r.status:>6} {r.median_ms:>9.2f} {r.p95_ms:>7.2f} "
            f"{r.ratio:>9.1f} {r.queries:>7} {r.html_bytes / 1024:>7.1f} "
            f"{r.html_gzip_bytes / 1024:>6.1f} {r.total_gzip_bytes / 1024:>10.1f}"
        )
    return "\n".join(lines)
