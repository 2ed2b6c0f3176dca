"""The staff dashboard on the admin home page (templates/admin/index.html) and the public
change notes under a page's review dates (templates/components/review.html)."""

from django import template
from django.utils import timezone

from netinfo.content_version import content_models
from netinfo.editorial import dashboard, history
from netinfo.feedback import Feedback

register = template.Library()


@register.inclusion_tag("admin/netinfo/dashboard.html", takes_context=True)
def editorial_dashboard(context):
    request = context["request"]
    sections = dashboard.dashboard(request.user, content_models(), timezone.localdate())
    return {"sections": sections, "limit": dashboard.LIST_LIMIT}


@register.simple_tag
def public_change_notes(page, limit=3):
    """{% public_change_notes page as notes %}: see
    netinfo.editorial.history.public_change_notes."""
    if not getattr(page, "change_note", "") or getattr(page, "pk", None) is None:
        return []
    return history.public_change_notes(page, limit)


@register.inclusion_tag("admin/netinfo/includes/new_feedback.html", takes_context=True)
def new_feedback(context, limit=5):
    """The dashboard's "New feedback": comments nobody has marked as dealt with yet."""
    if not context["request"].user.has_perm("netinfo.view_feedback"):
        return {"shown": False}
    new = Feedback.objects.filter(dealt_with_at=None)
    return {"shown": True, "count": new.count(), "latest": list(new.exclude(comment="")[:limit])}
