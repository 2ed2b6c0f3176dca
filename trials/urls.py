from django.urls import path

from trials import views
from trials.feeds import TrialSearchFeed

app_name = "trials"

urlpatterns = [
    path("", views.trial_list, name="list"),
    path("feed/", TrialSearchFeed(), name="feed"),
    path("<slug:slug>/", views.trial_detail, name="detail"),
]
