from django.apps import AppConfig


class NetinfoConfig(AppConfig):
    name = "netinfo"
    verbose_name = "Site content"

    def ready(self):
        from netinfo import signals  # noqa: F401
