"""Cheap repeat visits: public pages carry an ETag and must be revalidated, so a browser that
already has an unchanged page gets a 304 with no body instead of the whole page again."""

import hashlib
import re

from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag

# The feedback form's CSRF token is masked afresh on every response; any mask of the same
# secret is valid, so it must not make an unchanged page look changed.
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


def etag_for(content):
    """The ETag of a page's bytes, the same whatever CSRF mask its feedback form carries."""
    return quote_etag(hashlib.sha256(CSRF_INPUT.sub(b"", content)).hexdigest()[:32])


class RevalidateMiddleware:
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
        # private: the page holds a CSRF token tied to this browser's cookie.
        patch_cache_control(response, private=True, no_cache=True)
        return get_conditional_response(request, etag=etag, response=response)
