"""HTTP caching of public pages. A public page is the same for everyone (it holds nothing of
one visitor's: netinfo/feedback.py), so:

- a visitor who is not signed in gets ``Cache-Control: public, max-age=0,
  s-maxage=PUBLIC_CACHE_SECONDS``: a shared cache in front of the site (nginx, Varnish, a
  CDN) may keep the page for that long, and browsers check back every time;
- every page carries an ETag, so a browser (or that cache) that already has an unchanged page
  gets a 304 with no body instead of the whole page again;
- signed-in staff, who may preview drafts, get ``private, no-cache``, and so does any
  response that sets a cookie.
"""

import hashlib

from django.conf import settings
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag


def etag_for(content):
    """The ETag of a page's bytes."""
    return quote_etag(hashlib.sha256(content).hexdigest()[:32])


class RevalidateMiddleware:
    """Cache-Control and an ETag on every HTML page (see the module); 304 when unchanged."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method not in ("GET", "HEAD")
            or response.status_code != 200
            or response.streaming
            or response.has_header("Cache-Control")  # a view chose its own policy
            or not response.get("Content-Type", "").startswith("text/html")
            or request.path.startswith("/admin/")
        ):
            return response
        # A page from the page cache comes with the ETag worked out when it was cached.
        etag = response.get("ETag") or etag_for(response.content)
        response["ETag"] = etag
        if settings.SESSION_COOKIE_NAME in request.COOKIES or response.cookies:
            patch_cache_control(response, private=True, no_cache=True)
        else:
            patch_cache_control(
                response, public=True, max_age=0, s_maxage=settings.PUBLIC_CACHE_SECONDS
            )
        # A signed-in visitor (with a session cookie) may see another page at this address.
        patch_vary_headers(response, ["Cookie"])
        return get_conditional_response(request, etag=etag, response=response)
