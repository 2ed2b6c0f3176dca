"""What a pending change would change, for its review page: fields, many-to-many links and
inline rows, each as a ``history.FieldChange`` (old text, new text, a word diff)."""

import re

from django import forms
from django.utils.html import format_html

from netinfo.editorial import history


def same_text(text):
    """Text as a reader sees it: a form strips the spaces and line breaks around a box's
    text, which changes nothing on the page and would only add noise to the review."""
    return "\n".join(line.rstrip() for line in str(text).strip().splitlines())


def names_of(items):
    return "\n".join(str(item) for item in items) or history.EMPTY


def field_change(label, old, new, diff=None):
    label = str(label)
    return history.FieldChange(
        name=label,
        label=label[:1].upper() + label[1:],
        old=old,
        new=new,
        diff=history.word_diff(old, new) if diff is None else diff,
    )


def row_text(form, names, values):
    parts = []
    for name in names:
        value = values.get(name)
        if value in (None, ""):
            continue
        field = form.fields[name]
        if isinstance(field, forms.BooleanField):
            value = "yes" if value else "no"
        elif isinstance(field, forms.ModelChoiceField):
            if not hasattr(value, "pk"):
                value = field.queryset.filter(pk=value).first() or value
        elif hasattr(field, "choices"):
            value = dict(field.choices).get(value, value)
        parts.append(f"{field.label}: {value}")
    return "; ".join(parts)


def row_changes(inline, formset):
    """The inline rows the change adds, removes or changes, one FieldChange per row."""
    # "Hospitals taking part", not the whole heading with its help ("Publications (shown as…").
    label = re.split(r"[:(.]", str(inline.verbose_name_plural))[0].strip()
    changes = []
    skip = {formset.fk.name, "id", "DELETE", "ORDER"}
    for form in formset.forms:
        names = [name for name in form.fields if name not in skip]
        deleted = form in formset.deleted_forms
        if form in formset.extra_forms:
            if deleted or not form.has_changed():
                continue
            added = row_text(form, names, form.cleaned_data)
            changes.append(
                field_change(label, "(new row)", added, format_html("<ins>{}</ins>", added))
            )
        elif deleted:
            removed = row_text(form, names, form.initial)
            diff = format_html("Row removed: <del>{}</del>", removed)
            changes.append(field_change(label, removed, "(removed)", diff))
        elif form.has_changed():
            old = row_text(form, names, form.initial)
            changes.append(field_change(label, old, row_text(form, names, form.cleaned_data)))
    return changes
