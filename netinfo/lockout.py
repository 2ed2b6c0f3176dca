"""What someone sees after too many failed logins (django-axes calls ``locked_out``)."""

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
