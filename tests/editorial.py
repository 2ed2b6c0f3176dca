"""Helpers for the editorial workflow tests: every kind of content record, staff users, and
reading an admin form the way a browser would submit it. Fixtures: tests/editorial_fixtures.py."""

import re

from django.contrib.auth.models import Group, User

from tests.html import soup

# (factory fixture, app label, model name, field that holds the page's main text)
CONTENT_KINDS = [
    ("make_trial", "trials", "trial", "summary"),
    ("make_treatment", "treatments", "treatment", "what_it_is"),
    ("make_site", "netinfo", "tumoursite", "overview"),
    ("make_term", "netinfo", "glossaryterm", "definition"),
    ("make_page", "netinfo", "page", "body"),
]
KIND_IDS = [kind[2] for kind in CONTENT_KINDS]


def staff(username, role=None, **extra):
    user = User.objects.create_user(
        username, password="pw", is_staff=True, first_name=username.title(), **extra
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def admin_url(record, action="change"):
    opts = record._meta
    return f"/admin/{opts.app_label}/{opts.model_name}/{record.pk}/{action}/"


def changelist_url(model_or_record):
    opts = model_or_record._meta
    return f"/admin/{opts.app_label}/{opts.model_name}/"


def form_data(response):
    """What a browser would send for the admin form on the page, as it stands."""
    form = soup(response).find("form", id=re.compile(r"_form$"))
    assert form is not None, "no admin form on the page"
    data = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.has_attr("disabled"):
            continue
        if field.name == "input" and field.get("type") in ("submit", "button", "file", "image"):
            continue
        if field.name == "textarea":
            text = field.get_text()
            data[name] = text[1:] if text.startswith("\n") else text
        elif field.name == "select":
            options = field.find_all("option")
            chosen = [o.get("value", "") for o in options if o.has_attr("selected")]
            if field.has_attr("multiple"):
                data[name] = chosen
            else:
                data[name] = (
                    chosen[0] if chosen else (options[0].get("value", "") if options else "")
                )
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data.setdefault(name, [])
                data[name].append(field.get("value", "on"))
        else:
            data[name] = field.get("value", "")
    return data


def errors_on(response):
    """Every error message shown on an admin form page, as plain text."""
    html = soup(response)
    return [
        " ".join(item.get_text(" ").split()) for item in html.select(".errorlist li, .errornote")
    ]


def edit(client, record, **changes):
    """Save ``record``'s admin form as it stands with ``changes``; the save must go through."""
    data = form_data(client.get(admin_url(record))) | changes
    response = client.post(admin_url(record), data)
    assert response.status_code == 302, errors_on(response)
    record.refresh_from_db()
    return record


def changes_url(record, history_record):
    """The admin page that shows what one history entry changed."""
    return f"{admin_url(record, 'history')}{history_record.history_id}/changes/"
