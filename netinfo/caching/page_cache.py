"""Public pages, rendered once per version of the content, then served from the cache.

A view marked ``@cached_page`` is worked out from the database once; later visitors get
the same response from the cache for the price of one small query, without going through
the rest of the middleware (``PageCacheMiddleware``). The cache key is made of:

- the page's address: host, path, and only the query parameters the view reads, each in a
  fixed order (so ``?utm_source=leaflet`` or another order of the same choices is the same
  entry, and made-up parameters cannot fill the cache);
- the content version (``netinfo.content_version``), read on every request in one query and
  kept for the rest of it: any save, addition or deletion changes it, so an edit shows on the
  very next request, on every app server, whatever the cache backend (even one cache per
  worker);
- today's date, since what some pages say depends on it: a trial's "open" stops being shown
  as fact once its registry check is too old (``trials.status``), so a page cached before
  midnight is not served after it.

What is never cached:

- anyone with a session cookie (signed-in staff, who may preview drafts): they always get a
  fresh page;
- anything but a 200 HTML answer to GET or HEAD that is the same for everyone (404s,
  redirects, feeds, errors, anything that sets a cookie).

A public page holds nothing of one visitor's (the feedback form has no CSRF token: see
netinfo/feedback.py), so the stored response is served as it is, and netinfo.caching.http
lets any HTTP cache in front of the site (nginx, Varnish, a CDN) keep it for a while too.
"""

import functools
import hashlib
import json

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils import timezone

from netinfo.content_version import kept_for_request

CACHE_SECONDS = 5 * 60
# Part of every key: change it when a change to the templates or views must not be mixed
# with pages cached by the code before a deploy (in a shared cache such as Redis).
KEY_PREFIX = "page:4"


def cache_key(request, host, params, version):
    """The key for this request's page: its host and path, the ``params`` it reads (a
    value's order within a parameter is kept: the page shows choices in that order), and
    the content version."""
    query = [(name, request.GET.getlist(name)) for name in params if name in request.GET]
    address = [host, request.path, query]
    digest = hashlib.sha256(json.dumps([address, version]).encode()).hexdigest()
    return f"{KEY_PREFIX}:{digest}"


def cached_page(view=None, *, params=()):
    """Mark a public view's page as one ``PageCacheMiddleware`` keeps per content version.

    ``params``: the query parameters the view reads; any others are ignored. Use it bare
    (``@cached_page``) on views that read none.
    """
    if view is None:
        return lambda view: cached_page(view, params=params)
    view.page_cache_params = tuple(params)
    return view


@functools.lru_cache(maxsize=4096)
def _params_for(path, urlconf=None):
    """The query parameters the view at ``path`` reads, or None if its page is not cached
    (not a ``cached_page`` view, or no view). Remembered per path: resolving costs more than
    the rest of a page from the cache."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    return getattr(match.func, "page_cache_params", None)


class PageCacheMiddleware:
    """Serve a ``cached_page`` view's page from the cache while the content is unchanged.

    It sits just after WhiteNoise, so a page from the cache skips the rest of the middleware:
    it is stored as it left the site the first time, headers included (security headers,
    CSP, ETag, ``Cache-Control``), and answers ``If-None-Match`` with a 304. Only visitors
    without a session cookie are served from it (staff may preview drafts), and only pages
    that are the same for everyone are kept: 200 HTML, ``Cache-Control: public``, no cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = None
        if (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and (params := _params_for(request.path_info)) is not None
        ):
            host = request.get_host()  # a host we do not serve is refused before any query
            with kept_for_request() as version:
                key = cache_key(request, host, params, [*version, str(timezone.localdate())])
                cached = cache.get(key)
                if cached is not None:
                    return _from_cache(request, cached)
                response = self.get_response(request)
        else:
            response = self.get_response(request)
        if key is not None and _shareable(response):
            # The response itself, as Django's own cache middleware keeps it: it comes back
            # from the cache (unpickled) with its headers as they were, none set again.
            cache.set(key, response, CACHE_SECONDS)
        return response


def _shareable(response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and response.get("Content-Type", "").startswith("text/html")
        and "public" in response.get("Cache-Control", "")
    )


def _from_cache(request, response):
    # META, as Django's ConditionalGetMiddleware reads it: request.headers would copy them all.
    if request.META.get("HTTP_IF_NONE_MATCH") == response["ETag"]:
        not_modified = HttpResponseNotModified()
        for name, value in response.items():
            if name.lower() not in ("content-length", "content-type"):
                not_modified[name] = value
        return not_modified
    return response
