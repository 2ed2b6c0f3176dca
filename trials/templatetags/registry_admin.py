"""The dashboard's "Registry changed" list (admin/trials/includes/registry_changes.html)."""

from django import template

from trials.models import RegistryChange
from trials.registry.admin_check import CHECKED_URL_NAME, can_check

register = template.Library()

LIMIT = 50


@register.simple_tag(takes_context=True)
def registry_change_tasks(context):
    """Open tasks for staff who may see trials: {"tasks", "total", "can_check", "url_name"}."""
    user = context["request"].user
    if not user.has_perm("trials.view_trial"):
        return None
    tasks = RegistryChange.objects.open().select_related("trial").order_by("found_at")
    total = tasks.count()
    return {
        "tasks": list(tasks[:LIMIT]) if total else [],
        "total": total,
        "can_check": can_check(user),
        "url_name": f"admin:{CHECKED_URL_NAME}",
    }
