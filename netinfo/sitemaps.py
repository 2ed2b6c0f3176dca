from django.contrib.sitemaps import Sitemap


class ContentSitemap(Sitemap):
    """Published records of one model; drafts never appear."""

    def __init__(self, model):
        self.model = model

    def items(self):
        return self.model.objects.published().order_by("pk")

    def lastmod(self, item):
        return item.updated_at
