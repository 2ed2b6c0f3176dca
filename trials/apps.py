from django.apps import AppConfig


class TrialsConfig(AppConfig):
    name = "trials"
    verbose_name = "Clinical trials"

    def ready(self):
        # Keeps the finder's search text in step with trials and what they link to.
        from trials import signals  # noqa: F401
