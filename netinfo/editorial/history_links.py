"""A record's links and rows in its history: a trial's tumour sites, treatments, drugs,
registry numbers, places and publications; a treatment's drugs and uses.

django-simple-history keeps a record's own fields. Like django-reversion's ``follow``, we
keep the rest beside each history entry: a ``VersionLinks`` row holds, as JSON, the ids of
the linked records and the fields of each row inside the record, as they were at that
version. Restoring a version puts them back, and says what it cannot bring back (a linked
record deleted since, a registry number another trial has now).

A model lists what is kept in ``history_links`` ({relation name: label}). The entry is
written when simple_history writes the history row, and brought up to date whenever a link
or row of the record changes afterwards (the admin saves a record before its inlines and
links), so the latest entry always matches the record. No request needed.
"""

import contextlib
import threading

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from simple_history.signals import post_create_historical_record

from netinfo.editorial.models import VersionLinks

_deleting = threading.local()
_local = threading.local()


def spec(model):
    """{relation name: label} kept in the history for ``model`` (empty for most)."""
    return getattr(model, "history_links", None) or {}


def kind(model):
    return model._meta.label_lower


def relation_of(model, name):
    return model._meta.get_field(name)


def is_rows(relation):
    """Rows inside the record (a reverse foreign key), rather than links to other records."""
    return relation.one_to_many


def row_fields(relation):
    """The fields kept for a row: all but the foreign key to the record itself."""
    return [
        field
        for field in relation.related_model._meta.concrete_fields
        if field is not relation.field
    ]


def snapshot(record):
    """{relation name: ids of linked records, or the rows' fields} as they are now."""
    links = {}
    for name in spec(type(record)):
        relation = relation_of(type(record), name)
        manager = getattr(
            record, name if not relation.auto_created else relation.get_accessor_name()
        )
        if is_rows(relation):
            fields = row_fields(relation)
            links[name] = [values(row, fields) for row in manager.order_by("pk")]
        else:
            links[name] = sorted(manager.values_list("pk", flat=True))
    return links


def empty(model):
    """The links of a record that has none, as ``snapshot`` gives them."""
    return {name: [] for name in spec(model)}


def latest_entry(model, pk):
    return (
        model.history.filter(**{model._meta.pk.attname: pk})
        .order_by("-history_date", "-history_id")
        .first()
    )


def record(history_record, links):
    """Keep ``links`` beside an existing history entry, replacing what it had: one UPDATE,
    as an entry's links are written with it (``history_written``); an entry written in bulk
    gets them here the first time."""
    entry = {"kind": kind(history_record.instance_type), "history_id": history_record.history_id}
    if not VersionLinks.objects.filter(**entry).update(links=links):
        VersionLinks.objects.create(**entry, links=links)


@contextlib.contextmanager
def batched():
    """Within the block, bring each record's links up to date once, at the end, however
    many of its rows change (an admin save with its inlines, an import replacing places).
    Nothing is written if the block fails: its transaction is rolled back anyway."""
    if getattr(_local, "pending", None) is not None:
        yield  # an outer block writes them
        return
    _local.pending = {}
    try:
        yield
        pending = _local.pending
    finally:
        _local.pending = None
    for model, pk in pending:
        keep_current(model, pk)


def keep_current(model, pk):
    """Bring the latest history entry's links up to date with the record's (at the end of
    a ``batched`` block, if in one)."""
    if getattr(_deleting, "keys", None) and (kind(model), pk) in _deleting.keys:
        return  # its rows are going with it: the last version keeps them
    pending = getattr(_local, "pending", None)
    if pending is not None:
        pending[(model, pk)] = True
        return
    obj = model._base_manager.filter(pk=pk).first()
    entry = latest_entry(model, pk) if obj is not None else None
    if entry is not None and entry.history_type != "-":
        record(entry, snapshot(obj))


def links_of(model, history_ids):
    """{history id: links} for the entries that have them."""
    return dict(
        VersionLinks.objects.filter(kind=kind(model), history_id__in=list(history_ids)).values_list(
            "history_id", "links"
        )
    )


# ---- Showing them -----------------------------------------------------------------------


def _names(model, pks):
    found = {obj.pk: str(obj) for obj in model._base_manager.filter(pk__in=pks)}
    return [found.get(pk, f"(deleted, id {pk})") for pk in pks]


def row_text(relation, values):
    row = relation.related_model(
        **{
            field.attname: field.to_python(values.get(field.attname))
            for field in row_fields(relation)
            if field.attname in values
        }
    )
    try:
        return str(row)
    except Exception:  # noqa: BLE001 - a row naming a record deleted since
        return ", ".join(str(value) for value in values.values() if value)


def describe(model, name, links):
    """The linked records' names, or the rows as text, one a line."""
    relation = relation_of(model, name)
    value = links.get(name, [])
    if is_rows(relation):
        return [row_text(relation, row) for row in value]
    return _names(relation.related_model, value)


def comparable(relation, value):
    if is_rows(relation):
        return sorted(tuple(sorted((k, v) for k, v in row.items() if k != "id")) for row in value)
    return sorted(value)


def changed(model, old_links, new_links):
    """[(label, old lines, new lines)] for each kept relation that differs. Either side may
    be None (not kept for that version): nothing is compared then."""
    if old_links is None or new_links is None:
        return []
    result = []
    for name, label in spec(model).items():
        relation = relation_of(model, name)
        before, after = old_links.get(name, []), new_links.get(name, [])
        if comparable(relation, before) != comparable(relation, after):
            result.append(
                (label, describe(model, name, old_links), describe(model, name, new_links))
            )
    return result


def values(row, fields):
    """A row's fields as JSON keeps them (VersionLinks' encoder writes dates as text)."""
    return {field.attname: field.value_from_object(row) for field in fields}


# ---- Keeping them up to date --------------------------------------------------------------


def history_written(sender, instance, history_instance, **kwargs):
    """simple_history wrote an entry: keep the record's links beside it. A deletion keeps
    the links of the version before it (its rows are already gone)."""
    model = type(instance)
    if not spec(model):
        return
    if history_instance.history_type == "-":
        entry = (
            model.history.filter(**{model._meta.pk.attname: instance.pk})
            .exclude(history_id=history_instance.history_id)
            .order_by("-history_date", "-history_id")
            .first()
        )
        found = links_of(model, [entry.history_id]) if entry is not None else {}
        if entry is not None and entry.history_id in found:
            record(history_instance, found[entry.history_id])
        return
    # The entry is new, so it has no links yet; nor has a record just created (nothing can
    # point at a row before it exists): write the empty lists without asking.
    links = snapshot(instance) if history_instance.history_type != "+" else empty(model)
    VersionLinks.objects.create(
        kind=kind(model), history_id=history_instance.history_id, links=links
    )


def part_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    for model, attname in _PARTS.get(sender, ()):
        pk = getattr(instance, attname, None)
        if pk is not None:
            keep_current(model, pk)


def links_changed(sender, instance, action, model, pk_set, **kwargs):
    owners = _LINKS.get(sender, ())
    if action == "pre_clear" and model in owners:
        # Clearing from the other side: remember whose links go, as pk_set will be None.
        accessor = next(
            field.attname
            for field in sender._meta.concrete_fields
            if field.many_to_one and field.related_model is model
        )
        own = next(
            field.attname
            for field in sender._meta.concrete_fields
            if field.many_to_one and isinstance(instance, field.related_model)
        )
        instance._history_cleared = list(
            sender._base_manager.filter(**{own: instance.pk}).values_list(accessor, flat=True)
        )
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if type(instance) in owners:
        keep_current(type(instance), instance.pk)
    if model in owners:
        pks = pk_set if action != "post_clear" else getattr(instance, "_history_cleared", ())
        for pk in pks or ():
            keep_current(model, pk)


def deleting(sender, instance, **kwargs):
    keys = getattr(_deleting, "keys", None)
    if keys is None:
        keys = _deleting.keys = set()
    keys.add((kind(sender), instance.pk))


def deleted(sender, instance, **kwargs):
    keys = getattr(_deleting, "keys", set())
    keys.discard((kind(sender), instance.pk))


_PARTS, _LINKS = {}, {}  # part model -> [(record model, attname)]; link table -> [model]


def follow(model):
    """Keep ``model``'s links and rows beside its history entries (called for each content
    model as it is registered: netinfo.apps). Its rows are parts of it, and so are the rows
    of its link tables, which are also its links."""
    if not spec(model):
        return
    for name in spec(model):
        relation = relation_of(model, name)
        if is_rows(relation):
            _watch_part(relation.related_model, model, relation.field.attname)
            continue
        through = relation.through if relation.auto_created else relation.remote_field.through
        _LINKS.setdefault(through, []).append(model)
        m2m_changed.connect(
            links_changed, sender=through, dispatch_uid=f"history_links:{through._meta}"
        )
        for field in through._meta.concrete_fields:
            if field.many_to_one and field.related_model is model:
                _watch_part(through, model, field.attname)
    pre_delete.connect(deleting, sender=model, dispatch_uid=f"history_links:{model._meta}")
    post_delete.connect(deleted, sender=model, dispatch_uid=f"history_links:{model._meta}")


def _watch_part(part, model, attname):
    _PARTS.setdefault(part, []).append((model, attname))
    for signal in (post_save, post_delete):
        signal.connect(part_changed, sender=part, dispatch_uid=f"history_links:{part._meta}")


post_create_historical_record.connect(history_written, dispatch_uid="history_links")


def write_for(loaded):
    """Links for each record's latest history entry, for records whose history was written
    in bulk (``netinfo.editorial.history.write_versions``, which sends no signals)."""
    for model, pks in loaded.items():
        if not spec(model):
            continue
        for pk in pks:
            keep_current(model, pk)
