"""Keeping "Was this page helpful?" safe without a per-visitor token, so every public page is
the same for everyone and any HTTP cache can serve it (netinfo.middleware):

- the answer must come from a page of this site: the browser's ``Origin`` header (or, when a
  browser sends none, its ``Referer``) names this site (``from_this_site``);
- a field people never see stays empty; robots that fill every box are thanked and ignored
  (``HONEYPOT``);
- each client may send ``FEEDBACK_RATE_PER_HOUR`` answers an hour (``allow``). A client is
  known only by a keyed hash of its address (salted_hmac with SECRET_KEY), kept in the cache
  for an hour; the address itself is never stored anywhere.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme

WINDOW_SECONDS = 60 * 60
#: The form's hidden field that people leave empty (hidden from sight and screen readers).
HONEYPOT = "website"


def from_this_site(request):
    """True when the browser says the form was sent from a page of this site (or of an
    origin in CSRF_TRUSTED_ORIGINS). Modern browsers send ``Origin`` with every POST."""
    here = f"{request.scheme}://{request.get_host()}"
    origin = request.headers.get("Origin")
    if origin is None:
        referer = urlsplit(request.headers.get("Referer", ""))
        origin = f"{referer.scheme}://{referer.netloc}" if referer.netloc else None
    return origin is not None and origin in (here, *settings.CSRF_TRUSTED_ORIGINS)


def client_key(address):
    digest = salted_hmac("netinfo.feedback.rate", address or "unknown").hexdigest()
    return f"feedback-rate:{digest}"


def allow(address, limit=None):
    """Count one answer from ``address``; False once it has sent ``limit`` in the hour."""
    limit = settings.FEEDBACK_RATE_PER_HOUR if limit is None else limit
    key = client_key(address)
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    return count <= limit


def safe_return_path(path):
    """``path`` if it is a page on this site, otherwise the home page."""
    if path and path.startswith("/") and url_has_allowed_host_and_scheme(path, allowed_hosts=None):
        return path
    return "/"
