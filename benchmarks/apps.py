from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """The speed figures (``manage.py bench``) and synthetic content for load tests
    (``manage.py synthesize``). No models; it sits on top of the other apps, as sitesearch
    does, and no app imports it."""

    name = "benchmarks"
    verbose_name = "Benchmarks"
