"""The site's address book. Each app has its own namespace; site pages come last because
their addresses (/about-nets/) are a catch-all."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from netinfo import views
from netinfo.models import GlossaryTerm, Page, TumourSite
from netinfo.sitemaps import ContentSitemap
from treatments.models import Treatment
from trials.models import Trial

# This module is the project's root URLconf as well as the core app's, so it is the one
# place in netinfo that may name the other apps.
SITEMAPS = {
    model._meta.model_name: ContentSitemap(model)
    for model in (Page, TumourSite, GlossaryTerm, Treatment, Trial)
}


netinfo_patterns = [
    path("", views.home, name="home"),
    path("tumour-sites/", views.tumour_site_list, name="tumour_sites"),
    path("tumour-sites/<slug:slug>/", views.tumour_site, name="tumour_site"),
    path("glossary/", views.glossary_list, name="glossary"),
    path("glossary/<slug:slug>/", views.glossary_term, name="glossary_term"),
    path("feedback/", views.feedback, name="feedback"),
    path("feedback/thanks/", views.feedback_thanks, name="feedback_thanks"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
    # Last: any other single-word address is a site page, e.g. /about-nets/.
    path("<slug:slug>/", views.page, name="page"),
]

# Choosing a password from an invitation, or after forgetting it (Django's own views and
# the admin's templates); "admin_password_reset" adds "Forgotten your password?" to the login.
password_patterns = [
    path("", auth_views.PasswordResetView.as_view(), name="admin_password_reset"),
    path("sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

urlpatterns = [
    path("admin/password/", include(password_patterns)),
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("trials/", include("trials.urls")),
    path("treatments/", include("treatments.urls")),
    path("search/", include("sitesearch.urls")),
    path("", include((netinfo_patterns, "netinfo"))),
]

handler404 = "netinfo.views.page_not_found"
handler500 = "netinfo.views.server_error"
