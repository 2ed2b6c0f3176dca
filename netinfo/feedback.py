"""Keeping "Was this page helpful?" safe without a per-visitor token, so every public page is
the same for everyone and any HTTP cache can serve it (netinfo.middleware):

- the answer must come from a page of this site: the browser's ``Origin`` header (or, when a
  browser sends none, its ``Referer``) names this site (``from_this_site``);
- a field people never see stays empty; robots that fill every box are thanked and ignored
  (``HONEYPOT``);
- each client may send ``FEEDBACK_RATE_PER_HOUR`` answers an hour (``allow``). A client is
  known only by a keyed hash of its address (salted_hmac with SECRET_KEY), stored with its
  answers for an hour and then blanked; the address itself is never stored anywhere. The
  answers are counted in the database, so the limit holds across every worker and server (a
  per-process cache would give each worker its own count).
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme

from netinfo.models import Feedback

WINDOW = datetime.timedelta(hours=1)
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
    return salted_hmac("netinfo.feedback.rate", address or "unknown").hexdigest()


def allow(client, limit=None):
    """True while ``client`` (a ``client_key``) has sent fewer than ``limit`` answers in the
    last hour. Forgets which client sent any older answer."""
    limit = settings.FEEDBACK_RATE_PER_HOUR if limit is None else limit
    since = timezone.now() - WINDOW
    Feedback.objects.filter(created_at__lt=since).exclude(client="").update(client="")
    return Feedback.objects.filter(client=client, created_at__gte=since).count() < limit


def safe_return_path(path):
    """``path`` if it is a page on this site, otherwise the home page."""
    if path and path.startswith("/") and url_has_allowed_host_and_scheme(path, allowed_hosts=None):
        return path
    return reverse("netinfo:home")
