"""What the editing area's own admin pages share (history, restore, clinical review, pending
changes): the address of a page of the record's admin, and the context every admin page has."""

from django.urls import reverse


class AdminPages:
    """A ModelAdmin mixin: ``_url("history", pk)`` and ``_context(request, title=...)``."""

    def _url(self, name, *args):
        opts = self.opts
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_{name}", args=args
        )

    def _context(self, request, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "app_label": self.opts.app_label,
            "changelist_url": self._url("changelist"),
            **extra,
        }
