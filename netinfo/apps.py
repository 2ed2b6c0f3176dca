from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class NetinfoConfig(AppConfig):
    name = "netinfo"
    verbose_name = "Site content"

    def ready(self):
        # workflow: counts each content record's edit version, keeps the editorial roles
        # in step after every migrate.
        from netinfo import signals  # noqa: F401
        from netinfo.editorial import workflow  # noqa: F401


class NetinfoAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the editing area's own site (netinfo/admin_site.py)."""

    default = False  # netinfo's own config above stays the app's default
    default_site = "netinfo.admin_site.NetinfoAdminSite"
