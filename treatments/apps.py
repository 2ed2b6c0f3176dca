from django.apps import AppConfig


class TreatmentsConfig(AppConfig):
    name = "treatments"

    def ready(self):
        # Imported here, as Django asks: apps.py is loaded before any model is.
        from netinfo import content_version
        from treatments.models import Drug, Treatment, TreatmentType, TreatmentUse

        # What the public pages show of this app; a treatment's uses have no updated_at.
        content_version.register(TreatmentType, Treatment, Drug, parts=(TreatmentUse,))
