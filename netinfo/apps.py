from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class NetinfoConfig(AppConfig):
    name = "netinfo"
    verbose_name = "Site content"

    def ready(self):
        # Imported here, as Django asks: apps.py is loaded before any model is.
        from netinfo import content_version, glossary, list_pages, page_glossary
        from netinfo.caching import versioned
        from netinfo.editorial import history_links, workflow  # noqa: F401 - its receivers
        from netinfo.editorial.models import ClinicalReview
        from netinfo.models import ContentStamp, GlossaryTerm, Page, TumourSite

        # Every content model, from whichever app registers it, is followed by the glossary
        # (where terms are used) and the history (its links beside each version).
        content_version.on_content_model(glossary.follow)
        content_version.on_content_model(history_links.follow)
        content_version.register(TumourSite, GlossaryTerm, Page, ContentStamp, ClinicalReview)
        # Kept per content version in each process, for pages that use them. Published terms
        # change their updated_at; a deletion touches ContentStamp.
        versioned.register("glossary", (GlossaryTerm, ContentStamp), page_glossary.build_matcher)
        versioned.register("list_pages", (Page,), list_pages.build)


class NetinfoAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the editing area's own site (netinfo/admin_site.py)."""

    default = False  # netinfo's own config above stays the app's default
    default_site = "netinfo.admin_site.NetinfoAdminSite"
