"""Reading and restoring the edit history that django-simple-history keeps for every content
record: a readable, field-by-field diff, restoring an old version in one step, and bringing
back a deleted record. Used by the admin; no request needed."""

import difflib
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import escape
from django.utils.safestring import mark_safe

from netinfo import workflow

EMPTY = "(empty)"


@dataclass
class FieldChange:
    name: str
    label: str
    old: str
    new: str
    diff: str  # safe HTML: the new text with removed words in <del> and added ones in <ins>


def tracked_fields(model):
    """The fields an editor writes, in form order (rendered HTML, version and timestamps are
    derived, so they would only add noise)."""
    return [
        field
        for field in model._meta.concrete_fields
        if field.editable and not field.primary_key and not field.name.endswith("_html")
    ]


def display_value(field, value):
    """A value as an editor would recognise it: choice labels, names, dates in words."""
    if value in (None, ""):
        return EMPTY
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return "Yes" if value else "No"
    if isinstance(field, models.ForeignKey):
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else f"(deleted, id {value})"
    if isinstance(field, models.DateTimeField):
        return format_date(timezone.localtime(value), "j F Y, H:i")
    if isinstance(field, models.DateField):
        return format_date(value, "j F Y")
    return str(value)


_TOKENS = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def word_diff(old, new):
    """``new`` with the words taken out of ``old`` in <del> and the words put in, in <ins>."""
    if old == EMPTY:
        old = ""
    if new == EMPTY:
        new = ""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op == "replace":
            parts.append(" ")  # so "<del>4</del><ins>2</ins>" does not read as "42"
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(parts))  # every piece of text above is escaped


def field_changes(model, old, new):
    """What differs between two versions (historical records or model instances); ``old``
    may be None for the first version."""
    changes = []
    for field in tracked_fields(model):
        before = getattr(old, field.attname) if old is not None else None
        after = getattr(new, field.attname)
        if before == after or (before in (None, "") and after in (None, "")):
            continue
        old_text, new_text = display_value(field, before), display_value(field, after)
        changes.append(
            FieldChange(
                name=field.name,
                label=str(field.verbose_name).capitalize(),
                old=old_text,
                new=new_text,
                diff=word_diff(old_text, new_text),
            )
        )
    return changes


def records_of(model, pk):
    return model.history.filter(**{model._meta.pk.attname: pk})


def previous(record):
    return (
        records_of(record.instance_type, getattr(record, record.instance_type._meta.pk.attname))
        .filter(history_date__lt=record.history_date)
        .order_by("-history_date", "-history_id")
        .first()
    )


def display_user(user):
    if user is None:
        return "someone outside the admin"
    return user.get_full_name() or user.get_username()


def changes_since(model, pk, version):
    """What others changed after ``version``: (names, when, [(field label, new value)]), or
    None when the history has nothing newer. Every history row keeps its version number."""
    history = records_of(model, pk)
    base = history.filter(version__lte=version).order_by("-history_date", "-history_id").first()
    newer = list(history.filter(version__gt=version).order_by("history_date", "history_id"))
    if not newer:
        return None
    changed = [(change.label, change.new) for change in field_changes(model, base, newer[-1])]
    users = []
    for record in newer:
        name = display_user(record.history_user)
        if name not in users:
            users.append(name)
    return users, newer[-1].history_date, changed


def restore_version(record, user):
    """Make the live record match this old version again, as one new save (so the restore
    is itself in the history and can be undone). Returns the saved record.

    A user who may not publish keeps today's state and review details (see
    workflow.protect_approver_fields). Raises workflow.StaleEdit if the record changed while
    this ran, and LookupError if it has been deleted (use restore_deleted instead).
    """
    model = record.instance_type
    current = model._base_manager.filter(pk=record.instance.pk).first()
    if current is None:
        raise LookupError("This record has been deleted.")
    restored = record.instance
    restored._state.adding = False
    restored._expected_version = current.version
    restored.created_at = current.created_at
    workflow.protect_approver_fields(user, restored)
    restored._history_user = user
    when = format_date(timezone.localtime(record.history_date), "j F Y, H:i")
    restored._change_reason = f"Restored the version saved on {when}"
    restored.save()
    return restored


def deleted_records(model):
    """The latest deletion of each record of ``model`` that is still deleted, newest first."""
    pk_name = model._meta.pk.attname
    live = model._base_manager.values(pk_name)
    deletions = (
        model.history.filter(history_type="-")
        .exclude(**{f"{pk_name}__in": live})
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    seen, latest = set(), []
    for record in deletions:
        key = getattr(record, pk_name)
        if key not in seen:
            seen.add(key)
            latest.append(record)
    return latest


class CannotRestore(Exception):
    pass


def restore_deleted(record, user):
    """Bring back a deleted record as it was when deleted (a user who may not publish gets
    it back as a draft). Its own fields come back; rows that hung off it (a trial's
    locations, a treatment's uses) and its many-to-many links are not kept by the history.
    """
    if record.history_type != "-":
        raise CannotRestore("That is not a deleted record.")
    model = record.instance_type
    obj = record.instance
    if model._base_manager.filter(pk=obj.pk).exists():
        raise CannotRestore(f"“{obj}” is already back on the list.")
    try:
        obj.validate_unique()
    except ValidationError as error:
        raise CannotRestore(
            f"“{obj}” cannot come back while another record has the same "
            f"{', '.join(error.message_dict)}. Change that record first."
        ) from error
    workflow.protect_approver_fields(user, obj)
    obj.version = (obj.version or 0) + 1
    obj._history_user = user
    obj._change_reason = "Restored after it was deleted"
    with transaction.atomic():
        obj.save(force_insert=True)
    return obj


@dataclass
class ChangeNote:
    text: str
    date: object  # when the note was first on the published page


def public_change_notes(record, limit=3):
    """The latest public change notes, newest first, each dated when it was first published.

    Read from the history, so a note stays listed after an approver writes a newer one. One
    query; pages whose record has no change note today skip it (clearing the note hides the
    list).
    """
    rows = (
        records_of(type(record), record.pk)
        .filter(state=workflow.PUBLISHED)
        .exclude(change_note="")
        .order_by("-history_date", "-history_id")
        .values_list("change_note", "history_date")[:200]
    )
    notes = []
    for text, when in rows:
        if notes and notes[-1].text == text:
            notes[-1].date = when  # the same note on an earlier save: it began earlier
        elif len(notes) < limit:
            notes.append(ChangeNote(text, when))
        else:
            break
    return notes
