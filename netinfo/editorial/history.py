"""Reading and restoring the edit history that django-simple-history keeps for every content
record: a readable, field-by-field diff, restoring an old version in one step, and bringing
back a deleted record. Used by the admin; no request needed."""

import contextlib
import difflib
import re
from collections import defaultdict
from dataclasses import dataclass

from django.db import models, router, transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import escape
from django.utils.safestring import mark_safe

from netinfo.editorial import history_links, links_restore, workflow

EMPTY = "(empty)"
STARTING_CONTENT = "Starting content loaded"


# ---- Every record has a first version ------------------------------------------------------


def history_manager(model):
    """The model's simple_history manager, or None for a model without history."""
    name = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, name) if name else None


@contextlib.contextmanager
def records_loaded():
    """Collect {model: {pk, ...}} of every row written by a raw save (``loaddata``) inside
    the block. Raw saves skip simple_history's signal, so the loader writes their history
    afterwards with ``write_versions``."""
    loaded = defaultdict(set)

    def collect(sender, instance, raw=False, **kwargs):
        if raw:
            loaded[sender].add(instance.pk)

    uid = "netinfo.editorial.history.records_loaded"
    post_save.connect(collect, weak=False, dispatch_uid=uid)
    try:
        yield loaded
    finally:
        post_save.disconnect(dispatch_uid=uid)


def write_versions(loaded, reason, batch_size=500):
    """One history entry, saying ``reason``, for each record in ``loaded`` ({model: pks}) of
    a model that keeps history, as the record is now (so after rendering). Returns how many.
    simple_history's ``bulk_history_create``: a few queries a batch, not one a record."""
    count = 0
    for model, pks in loaded.items():
        manager = history_manager(model)
        if manager is None:
            continue
        pks = sorted(pks)
        for start in range(0, len(pks), batch_size):
            batch = list(model._base_manager.filter(pk__in=pks[start : start + batch_size]))
            manager.bulk_history_create(batch, default_change_reason=reason)
            count += len(batch)
    history_links.write_for(loaded)  # bulk_history_create sends no signals
    return count


@dataclass
class FieldChange:
    name: str
    label: str
    old: str
    new: str
    diff: str  # safe HTML: the new text with removed words in <del> and added ones in <ins>


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


def _same(before, after):
    """Equal as an editor reads them: empty is empty, and a text that differs only by
    line endings or spaces at its ends (the admin's form strips them) is the same text."""
    if before in (None, "") and after in (None, ""):
        return True
    if isinstance(before, str) and isinstance(after, str):
        return before.replace("\r\n", "\n").strip() == after.replace("\r\n", "\n").strip()
    return before == after


def changed_fields(model, old, new):
    """The editable fields whose values differ between two versions (historical records or
    model instances); ``old`` may be None for the first version."""
    return [
        field
        for field in model.tracked_fields()
        if not _same(
            getattr(old, field.attname) if old is not None else None, getattr(new, field.attname)
        )
    ]


def field_changes(model, old, new):
    """What differs between two versions, as words (see ``changed_fields``)."""
    changes = []
    for field in changed_fields(model, old, new):
        before = getattr(old, field.attname) if old is not None else None
        after = getattr(new, field.attname)
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


def link_changes(model, old, new):
    """What differs in the links and rows kept beside two history entries (a trial's tumour
    sites, places...), as FieldChange rows; ``old`` may be None for the first version.
    Nothing is listed for an entry saved before links were kept."""
    if not history_links.spec(model):
        return []
    ids = [record.history_id for record in (old, new) if record is not None]
    found = history_links.links_of(model, ids)
    old_links = found.get(old.history_id) if old is not None else {}
    changes = []
    for label, before, after in history_links.changed(model, old_links, found.get(new.history_id)):
        old_text, new_text = "\n".join(before) or EMPTY, "\n".join(after) or EMPTY
        changes.append(
            FieldChange(
                name=label,
                label=label.capitalize(),
                old=old_text,
                new=new_text,
                diff=word_diff(old_text, new_text),
            )
        )
    return changes


def version_changes(model, old, new):
    """Fields, then links and rows, that differ between two history entries."""
    return field_changes(model, old, new) + link_changes(model, old, new)


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
    None when the history has nothing newer. Every history row keeps its version number.

    Only the fields that differ between the version the editor started from and today's are
    listed. If the history does not have the version they started from (a record saved
    before history was kept), the list is None rather than every field.
    """
    history = records_of(model, pk)
    base = history.filter(version__lte=version).order_by("-history_date", "-history_id").first()
    newer = list(history.filter(version__gt=version).order_by("history_date", "history_id"))
    if not newer:
        return None
    changed = None
    if base is not None:
        changed = [(change.label, change.new) for change in version_changes(model, base, newer[-1])]
    users = []
    for record in newer:
        name = display_user(record.history_user)
        if name not in users:
            users.append(name)
    return users, newer[-1].history_date, changed


class CannotRestore(Exception):
    pass


def clashes(obj):
    """{field name: message} for each unique field whose value another record of the same
    kind uses now, naming that record and saying how to free the value."""
    model = type(obj)
    found = {}
    for field in model._meta.concrete_fields:
        if not field.unique or field.primary_key:
            continue
        value = getattr(obj, field.attname)
        if value in (None, ""):
            continue
        other = model._base_manager.filter(**{field.name: value}).exclude(pk=obj.pk).first()
        if other is not None:
            label = field.verbose_name
            found[field.name] = (
                f"“{value}” is the {label} of “{other}” now. Change the {label} of “{other}” "
                f"first, or give this one another {label}."
            )
    return found


def restore_version(record, user):
    """Make the live record match this old version again, as one new save (so the restore
    is itself in the history and can be undone). Returns the saved record.

    A user who may not publish keeps today's state and review details (see
    workflow.protect_approver_fields). Raises workflow.StaleEdit if the record changed while
    this ran, LookupError if it has been deleted (use restore_deleted instead), and
    CannotRestore if another record uses one of its unique values (its address) now.
    """
    model = record.instance_type
    current = model._base_manager.filter(pk=record.instance.pk).first()
    if current is None:
        raise LookupError("This record has been deleted.")
    restored = record.instance
    found = clashes(restored)
    if found:
        raise CannotRestore(f"Not restored: {' '.join(found.values())}")
    restored._state.adding = False
    restored._expected_version = current.version
    restored.created_at = current.created_at
    workflow.protect_approver_fields(user, restored)
    restored._history_user = user
    when = format_date(timezone.localtime(record.history_date), "j F Y, H:i")
    restored._change_reason = f"Restored the version saved on {when}"
    with transaction.atomic(using=router.db_for_write(model)):
        restored.save()
        restored.not_restored = restore_links(record, restored)
    return restored


def restore_links(record, obj):
    """Put back the links and rows ``record`` (a history entry) had on ``obj``. Returns the
    messages for what could not come back (see netinfo.editorial.history_links)."""
    model = record.instance_type
    links = history_links.links_of(model, [record.history_id]).get(record.history_id)
    return links_restore.restore(obj, links)


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


def restore_deleted(record, user):
    """Bring back a deleted record as it was when deleted (a user who may not publish gets
    it back as a draft), with the links and rows it had (``not_restored`` on the result
    lists what could not come back).
    """
    if record.history_type != "-":
        raise CannotRestore("That is not a deleted record.")
    model = record.instance_type
    obj = record.instance
    if model._base_manager.filter(pk=obj.pk).exists():
        raise CannotRestore(f"“{obj}” is already back on the list.")
    found = clashes(obj)
    if found:
        raise CannotRestore(
            f"“{obj}” cannot come back while another record has the same "
            f"{', '.join(found)}. {' '.join(found.values())}"
        )
    workflow.protect_approver_fields(user, obj)
    obj.version = (obj.version or 0) + 1
    obj._history_user = user
    obj._change_reason = "Restored after it was deleted"
    with transaction.atomic(using=router.db_for_write(model)):
        obj.save(force_insert=True)
        obj.not_restored = restore_links(record, obj)
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
