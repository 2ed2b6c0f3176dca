"""Rate limiting for "Was this page helpful?", without keeping anything personal.

Each client is known only by a keyed hash of its address (salted_hmac with SECRET_KEY), kept
in the cache for an hour; the address itself is never stored anywhere.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme

WINDOW_SECONDS = 60 * 60


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
