"""Bringing back a version's links and rows (kept by netinfo.editorial.history_links): what
restoring a version would leave out, said before the editor presses the button
(``cannot_restore``, ``rows_left_out``), and the restore itself (``restore``), which puts
back what it can and says what it cannot (a linked record deleted since, a registry number
another trial has now)."""

from django.core.exceptions import ValidationError

from netinfo.editorial import history_links


def _build_rows(obj, relation, rows):
    """The rows of a version as unsaved model instances belonging to ``obj``."""
    row_model = relation.related_model
    fields = history_links.row_fields(relation)
    built = []
    for values in rows:
        row = row_model(
            **{
                field.attname: field.to_python(values[field.attname])
                for field in fields
                if field.attname in values
            }
        )
        setattr(row, relation.field.attname, obj.pk)
        built.append(row)
    return built


def _unique_lookups(row):
    """Each set of values the row must not share with another row: unique fields and
    unconditional unique constraints."""
    opts = row._meta
    lookups = [
        {field.attname: getattr(row, field.attname)}
        for field in opts.concrete_fields
        if field.unique and not field.primary_key
    ]
    for constraint in opts.total_unique_constraints:
        lookups.append(
            {
                opts.get_field(name).attname: getattr(row, opts.get_field(name).attname)
                for name in constraint.fields
            }
        )
    return lookups


def _row_problem(obj, relation, label, row):
    """Why this row of an old version cannot come back now, or None."""
    values = history_links.values(row, history_links.row_fields(relation))
    text = f"{label.capitalize()}: “{history_links.row_text(relation, values)}”"
    for field in row._meta.concrete_fields:
        if field.many_to_one and field is not relation.field:
            value = getattr(row, field.attname)
            if (
                value is not None
                and not field.related_model._base_manager.filter(pk=value).exists()
            ):
                return f"{text} cannot come back: its {field.verbose_name} has been deleted since."
    for lookup in _unique_lookups(row):
        other = (
            type(row)
            ._base_manager.filter(**lookup)
            .exclude(**{relation.field.attname: obj.pk})
            .select_related(relation.field.name)
            .first()
        )
        if other is not None:
            owner = getattr(other, relation.field.name)
            return (
                f"{text} cannot come back: {type(obj)._meta.verbose_name} “{owner}” has it now. "
                "Take it off that record first, then restore this version again."
            )
    return None


def _missing_links(relation, label, pks):
    target = relation.related_model
    present = set(target._base_manager.filter(pk__in=pks).values_list("pk", flat=True))
    missing = [pk for pk in pks if pk not in present]
    if not missing:
        return present, None
    names = []
    for pk in missing:
        entry = history_links.latest_entry(target, pk) if hasattr(target, "history") else None
        names.append(f"“{entry.instance}”" if entry is not None else f"one with id {pk}")
    one = len(names) == 1
    return present, (
        f"{label.capitalize()}: {', '.join(names)} {'has' if one else 'have'} been deleted "
        f"since, so {'it is' if one else 'they are'} not linked again. To link "
        f"{'it' if one else 'them'}, restore {'it' if one else 'them'} from the deleted "
        "records first, then restore this version again."
    )


def cannot_restore(obj, links):
    """What restoring ``links`` on ``obj`` would leave out, one message each, without
    changing anything (for the restore page, before the editor presses the button)."""
    model = type(obj)
    if not history_links.spec(model):
        return []
    if links is None:
        return [_not_kept(model)]
    problems = []
    for name, label in history_links.spec(model).items():
        relation = history_links.relation_of(model, name)
        value = links.get(name, [])
        if history_links.is_rows(relation):
            for row in _build_rows(obj, relation, value):
                problem = _row_problem(obj, relation, label, row)
                if problem:
                    problems.append(problem)
        else:
            problems += [p for p in [_missing_links(relation, label, value)[1]] if p]
    return problems


def rows_left_out(model, old_links, new_links):
    """Labels of the rows (not links) that differ between two versions' links: what a
    restore saved as a pending change leaves as it is today (its form carries the record's
    fields and links, not its rows)."""
    if old_links is None or new_links is None:
        return []
    labels = []
    for name, label in history_links.spec(model).items():
        relation = history_links.relation_of(model, name)
        if not history_links.is_rows(relation):
            continue
        before, after = old_links.get(name, []), new_links.get(name, [])
        if history_links.comparable(relation, before) != history_links.comparable(relation, after):
            labels.append(label)
    return labels


def _not_kept(model):
    labels = ", ".join(history_links.spec(model).values())
    return (
        f"This version was saved before its {labels} were kept in the history, so they "
        "stay as they are now. Check them on the edit page after restoring."
    )


def restore(obj, links):
    """Make ``obj``'s links and rows match ``links`` (a version's). Returns what could not
    be brought back, one message each (``links`` None: the version predates this
    record-keeping, and everything stays as it is)."""
    model = type(obj)
    if not history_links.spec(model):
        return []
    if links is None:
        return [_not_kept(model)]
    with history_links.batched():
        return _restore(obj, links)


def _restore(obj, links):
    model = type(obj)
    problems = []
    for name, label in history_links.spec(model).items():
        relation = history_links.relation_of(model, name)
        value = links.get(name, [])
        if history_links.is_rows(relation):
            problems += _restore_rows(obj, relation, label, value)
        else:
            present, problem = _missing_links(relation, label, value)
            accessor = relation.name if not relation.auto_created else relation.get_accessor_name()
            getattr(obj, accessor).set([pk for pk in value if pk in present])
            if problem:
                problems.append(problem)
    history_links.keep_current(model, obj.pk)
    return problems


def _restore_rows(obj, relation, label, rows):
    row_model = relation.related_model
    current = {row.pk: row for row in getattr(obj, relation.get_accessor_name()).all()}
    wanted = _build_rows(obj, relation, rows)
    for row in wanted:
        if row.pk is not None and row.pk not in current:
            if row_model._base_manager.filter(pk=row.pk).exists():
                row.pk = None  # that id belongs to another record's row now
    keep = {row.pk for row in wanted if row.pk is not None}
    for pk, row in current.items():
        if pk not in keep:
            row.delete()
    problems = []
    for row in wanted:
        problem = _row_problem(obj, relation, label, row)
        if problem is None:
            try:
                row.validate_constraints()
            except ValidationError as error:
                problem = (
                    f"{label.capitalize()}: a row cannot come back: {' '.join(error.messages)}"
                )
        if problem:
            problems.append(problem)
            continue
        row.save(force_insert=row.pk not in current)
    return problems
