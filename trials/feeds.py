"""An Atom feed for any trial search, so a patient can follow it without an account:
/trials/feed/?site=pancreas gives the newest and newly changed pancreatic NET trials."""

import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from trials.finder.page import FinderPage

FEED_SIZE = 50

# Characters XML 1.0 forbids: C0 controls other than tab and line breaks, lone surrogates and
# U+FFFE/U+FFFF. A search typed with one (?q=%01) or a summary with "&#14;" must not break
# the feed, for that reader or for everyone who follows a search that includes the trial.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(value):
    """``value`` without the characters XML 1.0 forbids; lists of strings too."""
    if isinstance(value, str):
        return XML_FORBIDDEN.sub("", value)
    if isinstance(value, list | tuple):
        return type(value)(xml_safe(item) for item in value)
    return value


class XMLSafeAtom1Feed(Atom1Feed):
    """Atom, with every text of the feed and its entries made safe for XML."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.feed = {name: xml_safe(value) for name, value in self.feed.items()}

    def add_item(self, *args, **kwargs):
        super().add_item(*args, **kwargs)
        self.items[-1] = {name: xml_safe(value) for name, value in self.items[-1].items()}


class TrialSearchFeed(Feed):
    feed_type = XMLSafeAtom1Feed

    def get_object(self, request):
        return FinderPage(request.GET)

    def title(self, finder):
        return f"Clinical trials for NETs: {finder.describe()} – {settings.SITE_NAME}"

    def subtitle(self, finder):
        # What the finder page notes (a value it did not recognise and left out) is said
        # here too: a feed reader shows no page.
        return " ".join(
            [
                "Trials that match this search, most recently updated first. A trial appears "
                "again when it changes, for example when it opens to new patients.",
                *finder.notes(),
            ]
        )

    # Links and ids are on SITE_URL, the public address, whatever host the request came
    # through (a feed reader keeps them).
    def link(self, finder):
        return settings.SITE_URL + finder.url(finder.params())

    def feed_url(self, finder):
        query = finder.querystring
        return settings.SITE_URL + reverse("trials:feed") + (f"?{query}" if query else "")

    def item_link(self, trial):
        return settings.SITE_URL + trial.get_absolute_url()

    def items(self, finder):
        # Newest changes first whatever the page's sort, so a feed reader sees what is new.
        return finder.results(sort="updated")[:FEED_SIZE]

    def item_title(self, trial):
        return f"{trial} – {trial.status_now.label}"

    def item_description(self, trial):
        sites = ", ".join(site.name for site in trial.sites.all())
        status = trial.status_now
        parts = [f"{status.text}."]
        if status.advice:
            parts.append(status.advice)
        parts.append(f"{trial.get_phase_display()}.")
        if sites:
            parts.append(f"Tumour sites: {sites}.")
        if trial.summary_sentence:
            parts.append(trial.summary_sentence)
        return " ".join(parts)

    def item_updateddate(self, trial):
        return trial.updated_at

    def item_pubdate(self, trial):
        return trial.created_at
