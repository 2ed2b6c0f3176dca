"""Page feedback: "Was this page helpful?" at the foot of every page, its table (``Feedback``,
read by staff in the admin) and its form, kept safe without a per-visitor token, so every
public page is the same for everyone and any HTTP cache can serve it (netinfo.caching.http):

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

from django import forms
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme

WINDOW = datetime.timedelta(hours=1)
#: The form's hidden field that people leave empty (hidden from sight and screen readers).
HONEYPOT = "website"


class Feedback(models.Model):
    """An answer to "Was this page helpful?". No personal data is asked for."""

    path = models.CharField(max_length=300, db_index=True)
    helpful = models.BooleanField()
    comment = models.TextField(blank=True, max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    dealt_with_at = models.DateTimeField("dealt with", null=True, blank=True, db_index=True)
    dealt_with_by = models.CharField(max_length=150, blank=True)
    client = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        db_index=True,
        help_text="A keyed hash of the sender's address, for the rate limit; blanked after "
        "an hour (netinfo.feedback).",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "feedback"

    def __str__(self):
        return f"{self.path}: {'yes' if self.helpful else 'no'}"


class FeedbackForm(forms.Form):
    """ "Was this page helpful?": yes or no, and an optional comment. Nothing personal."""

    path = forms.CharField(max_length=300)
    helpful = forms.TypedChoiceField(
        label="Was this page helpful?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose yes or no."},
    )
    comment = forms.CharField(required=False, max_length=1000, widget=forms.Textarea)

    def clean_path(self):
        path = self.cleaned_data["path"]
        if not path.startswith("/") or not url_has_allowed_host_and_scheme(
            path, allowed_hosts=None
        ):
            raise forms.ValidationError("That is not a page on this site.")
        return urlsplit(path).path

    def save(self, client=""):
        return Feedback.objects.create(
            path=self.cleaned_data["path"],
            helpful=self.cleaned_data["helpful"],
            comment=self.cleaned_data["comment"].strip(),
            client=client,
        )


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
