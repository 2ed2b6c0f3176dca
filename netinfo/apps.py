from django.apps import AppConfig


class NetinfoConfig(AppConfig):
    name = "netinfo"
    verbose_name = "Site content"

    def ready(self):
        # workflow: counts each content record's edit version, keeps the editorial roles
        # in step after every migrate.
        from netinfo import signals, workflow  # noqa: F401
