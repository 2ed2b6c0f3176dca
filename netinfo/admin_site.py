"""The editing area's admin site: Django's, with its titles and the reading-level pages
(``netinfo.editorial.meter``) among its URLs. Installed as the default admin site by
``netinfo.apps.NetinfoAdminConfig`` (INSTALLED_APPS), so ``admin.site`` everywhere is
this one."""

from functools import partial

from django.contrib import admin
from django.urls import path

from netinfo.editorial import meter


class NetinfoAdminSite(admin.AdminSite):
    site_header = "NET Patient Information: editing"
    site_title = "NET Patient Information"
    index_title = "Content"

    def get_urls(self):
        return [
            path(
                "readability/",
                self.admin_view(partial(meter.report_view, site=self)),
                name="readability_report",
            ),
            path(
                "readability/measure/",
                self.admin_view(meter.measure_view),
                name="readability_measure",
            ),
            *super().get_urls(),
        ]
