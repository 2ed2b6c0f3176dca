from django.apps import AppConfig


class TrialsConfig(AppConfig):
    name = "trials"
    verbose_name = "Clinical trials"

    def ready(self):
        # Imported here, as Django asks: apps.py is loaded before any model is.
        from netinfo import content_version
        from trials.finder import signals  # noqa: F401 - keeps the finder's search words in step
        from trials.models import Identifier, Location, Publication, Trial

        # What the public pages show of this app; a trial's registry numbers, places and
        # publications have no updated_at of their own.
        content_version.register(Trial, parts=(Identifier, Location, Publication))
