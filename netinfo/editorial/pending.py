"""Pending changes: an edit to a published record by someone who may not publish waits for
an approver, and the live page stays as it was until one publishes it.

The model follows Wagtail's revisions and workflow states, cut down to what this site needs:
a change is stored beside the live record (``PendingChange``), moves through "saved",
"waiting for review", "sent back" and ends "published" or "withdrawn"; one change per record
is open at a time, so two editors cannot overwrite each other. What is stored is what the
admin form posted (every field, many-to-many links and inline rows), so the same admin form
shows it again and the same admin form makes it live (netinfo.editorial.pending_admin): no second
serialisation to keep in step with the forms.

Everything here works on records and users, not requests. See docs/editorial-workflow.md.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from netinfo.editorial import workflow
from netinfo.editorial.models import PendingChange

Status = PendingChange.Status

#: Form keys that are buttons or tokens, not values.
NOT_DATA = (
    "csrfmiddlewaretoken",
    "_save",
    "_continue",
    "_addanother",
    "_submit_for_review",
    "_review_note",
)


class PendingConflict(Exception):
    """Someone else's change to this record is already waiting."""

    def __init__(self, pending):
        self.pending = pending
        super().__init__(conflict_message(pending))


def needs_review(user, record):
    """True when this user's save of this record must wait for an approver: the record is
    live and the user may not publish. Drafts keep their usual flow."""
    if record.pk is None or workflow.can_publish(user, type(record)):
        return False
    stored = workflow.stored_values(record, ["state"])
    return stored is not None and stored["state"] == workflow.PUBLISHED


def open_change(record_or_model, pk=None):
    """The open pending change to this record, or None."""
    model = record_or_model if pk is not None else type(record_or_model)
    pk = pk if pk is not None else record_or_model.pk
    return (
        PendingChange.objects.filter(
            content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
            object_id=pk,
            status__in=PendingChange.OPEN,
        )
        .select_related("created_by", "decided_by")
        .first()
    )


def display_name(user):
    if user is None:
        return "someone who has since left"
    return user.get_full_name() or user.get_username()


def conflict_message(pending):
    when = timezone.localtime(pending.saved_at)
    return (
        f"Not saved: {display_name(pending.created_by)} has a change to this page waiting for "
        f"review (saved at {when:%H:%M on %d %B %Y}). Only one change can wait at a time, so "
        "that nobody's work is overwritten. Your text is still in the form below: copy it, "
        "and ask them or a content approver to publish, send back or withdraw their change "
        "first."
    )


def form_data(post):
    """A posted form (QueryDict) as JSON: {name: [values]}, without buttons and tokens.

    Browsers send a textarea's line breaks as CRLF; they are kept as the stored text keeps
    them (LF), so a box the editor did not touch does not count as changed.
    """
    return {
        key: [value.replace("\r\n", "\n") for value in post.getlist(key)]
        for key in post
        if key not in NOT_DATA
    }


def as_querydict(data, **replace):
    query = QueryDict(mutable=True)
    for key, values in data.items():
        query.setlist(key, list(values))
    for key, value in replace.items():
        query[key] = value
    return query


def save(record, user, data, fields, submit=False, message=None):
    """Store ``user``'s edit of the live ``record`` as its pending change (a new one, or
    their open one updated). Returns the change. Raises PendingConflict when another
    person's change is open. ``submit`` also sends it for review (see ``submit``)."""
    live_version = workflow.current_version(type(record), record.pk)
    content_type = ContentType.objects.get_for_model(record, for_concrete_model=False)
    with transaction.atomic():
        pending = (
            PendingChange.objects.select_for_update()
            .filter(content_type=content_type, object_id=record.pk, status__in=PendingChange.OPEN)
            .first()
        )
        if pending is not None and pending.created_by_id != user.pk:
            raise PendingConflict(pending)
        if pending is None:
            pending = PendingChange(content_type=content_type, object_id=record.pk, created_by=user)
        elif pending.status == Status.SENT_BACK:
            pending.status = Status.EDITING  # they are working on it again
        pending.title = str(record)[:300]
        pending.data = data
        pending.fields = list(fields)
        pending.base_version = live_version
        pending.saved_at = timezone.now()
        if message is not None:
            pending.message = message.strip()
        try:
            with transaction.atomic():
                pending.save()
        except IntegrityError:  # another editor's change was stored a moment ago
            raise PendingConflict(open_change(type(record), record.pk)) from None
    if submit:
        submit_for_review(pending, user)
    return pending


def submit_for_review(pending, user, message=None):
    """Send the change to the approvers: it waits for review, and they are emailed."""
    if pending.created_by_id != user.pk or pending.status not in (Status.EDITING, Status.SENT_BACK):
        if pending.status == Status.SUBMITTED:
            return pending
        raise PermissionError("Only the person who made this change can submit it.")
    pending.status = Status.SUBMITTED
    pending.submitted_at = timezone.now()
    if message is not None:
        pending.message = message
    pending.save(update_fields=["status", "submitted_at", "message"])
    transaction.on_commit(lambda: tell_approvers(pending), robust=True)
    return pending


def withdraw(pending, user):
    """The editor (or an approver) drops the change; the live page is as it was."""
    if pending.created_by_id != user.pk and not can_decide(user, pending):
        raise PermissionError(
            "Only the person who made this change or an approver can withdraw it."
        )
    _close(pending, Status.WITHDRAWN, user)


def withdraw_for_deleted(pks, model, user):
    """Records being deleted take their open changes with them (marked withdrawn)."""
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    return PendingChange.objects.filter(
        content_type=content_type, object_id__in=pks, status__in=PendingChange.OPEN
    ).update(status=Status.WITHDRAWN, decided_by=user, decided_at=timezone.now())


def send_back(pending, user, comment):
    """An approver returns the change to its editor with a comment; the editor is emailed."""
    if not can_decide(user, pending):
        raise PermissionError("Only a content approver can send a change back.")
    comment = (comment or "").strip()
    if not comment:
        raise ValueError("Say what needs changing: the editor reads this.")
    pending.status = Status.SENT_BACK
    pending.comment = comment
    pending.decided_by = user
    pending.decided_at = timezone.now()
    pending.save(update_fields=["status", "comment", "decided_by", "decided_at"])
    transaction.on_commit(lambda: tell_editor(pending, "sent_back"), robust=True)


def mark_published(pending, user):
    _close(pending, Status.PUBLISHED, user)
    transaction.on_commit(lambda: tell_editor(pending, "published"), robust=True)


def _close(pending, status, user):
    pending.status = status
    pending.decided_by = user
    pending.decided_at = timezone.now()
    pending.save(update_fields=["status", "decided_by", "decided_at"])


def can_decide(user, pending):
    return workflow.can_publish(user, pending.content_type.model_class())


def change_reason(pending, approver):
    submitted = timezone.localtime(pending.submitted_at or pending.saved_at)
    return (
        f"Published the change {display_name(pending.created_by)} submitted on "
        f"{submitted:%d %B %Y at %H:%M}, approved by {display_name(approver)}"
    )[:100]


# ---- Who is told ---------------------------------------------------------------------------


def approvers_for(model):
    """Active staff who may publish this kind of record and have an email address."""
    opts = model._meta
    permission = Permission.objects.filter(
        codename=workflow.publish_codename(model), content_type__app_label=opts.app_label
    ).first()
    who = Q(is_superuser=True)
    if permission is not None:
        who |= Q(groups__permissions=permission) | Q(user_permissions=permission)
    users = get_user_model().objects.filter(who, is_active=True, is_staff=True).exclude(email="")
    return list(users.distinct().order_by("pk"))


def review_url(pending):
    model = pending.content_type.model_class()
    opts = model._meta
    path = reverse(f"admin:{opts.app_label}_{opts.model_name}_pending", args=[pending.object_id])
    return f"{settings.SITE_URL}{path}"


def change_url(pending):
    opts = pending.content_type.model_class()._meta
    path = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pending.object_id])
    return f"{settings.SITE_URL}{path}"


def _mail(template, context, recipients):
    if not recipients:
        return 0
    text = render_to_string(template, context).strip()
    subject, _, body = text.partition("\n")
    return send_mail(subject.strip(), body.strip() + "\n", None, recipients)


def tell_approvers(pending):
    model = pending.content_type.model_class()
    context = {
        "pending": pending,
        "editor": display_name(pending.created_by),
        "kind": model._meta.verbose_name,
        "review_url": review_url(pending),
        "site_name": settings.SITE_NAME,
    }
    recipients = [user.email for user in approvers_for(model)]
    return _mail("admin/netinfo/pending/email_submitted.txt", context, recipients)


def tell_editor(pending, what):
    editor = pending.created_by
    if editor is None or not editor.email:
        return 0
    context = {
        "pending": pending,
        "approver": display_name(pending.decided_by),
        "kind": pending.content_type.model_class()._meta.verbose_name,
        "change_url": change_url(pending),
        "site_name": settings.SITE_NAME,
    }
    return _mail(f"admin/netinfo/pending/email_{what}.txt", context, [editor.email])


# ---- The dashboard -------------------------------------------------------------------------


def waiting(user, limit=100):
    """Open changes this user should see: every change waiting for review (or sent back)
    to the kinds of record they may view, and their own saved-but-unsubmitted ones."""
    changes = (
        PendingChange.objects.filter(
            Q(status__in=[Status.SUBMITTED, Status.SENT_BACK])
            | Q(status=Status.EDITING, created_by=user)
        )
        .select_related("content_type", "created_by", "decided_by")
        .order_by("status", "submitted_at", "saved_at")
    )
    rows = []
    for pending in changes[:limit]:
        opts = pending.content_type.model_class()._meta
        if not (
            user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
            or user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
        ):
            continue
        rows.append(pending)
    order = {Status.SUBMITTED: 0, Status.SENT_BACK: 1, Status.EDITING: 2}
    rows.sort(key=lambda p: (order[p.status], p.submitted_at or p.saved_at))
    return rows
