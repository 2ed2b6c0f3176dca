"""Login throttling (django-axes): the backend that refuses a locked-out login, and what
someone sees after too many failed logins (axes calls ``locked_out``)."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib import admin
from django.shortcuts import render


def locked_out(request, original_response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        **admin.site.each_context(request),
        "title": "Too many failed logins",
        "minutes": minutes,
    }
    return render(request, "admin/locked_out.html", context, status=429)


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuses a login while its account or address is locked out. A login without a request
    (``Client.login`` in tests, a shell) comes from no client, so it is not counted: it goes on
    to the next backend rather than failing, as axes' own backend would."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
