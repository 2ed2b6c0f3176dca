"""The "Changes waiting for review" list on the admin dashboard
(templates/admin/netinfo/pending/dashboard.html, included by templates/admin/index.html)."""

from dataclasses import dataclass

from django import template
from django.urls import reverse

from netinfo.editorial import pending
from netinfo.editorial.models import PendingChange

register = template.Library()


@dataclass
class Row:
    change: PendingChange
    kind: str
    editor: str
    url: str


@register.inclusion_tag("admin/netinfo/pending/dashboard_section.html", takes_context=True)
def pending_changes_dashboard(context):
    rows = []
    for change in pending.waiting(context["request"].user):
        opts = change.content_type.model_class()._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_pending", args=[change.object_id])
        rows.append(Row(change, opts.verbose_name, pending.display_name(change.created_by), url))
    return {"rows": rows}
