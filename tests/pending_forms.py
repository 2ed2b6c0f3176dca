"""Editing a published record through the admin as a browser would, for the pending
change tests: change some boxes and submit for review, and the page that reviews it."""

from tests.editorial import admin_url, errors_on, form_data


def edit(client, record, submit=True, **changes):
    """Open the record's change form, change some boxes and press a button, as a browser
    would. Returns the response after the redirect."""
    data = form_data(client.get(admin_url(record))) | changes
    if submit:
        data["_submit_for_review"] = "Submit for review"
    response = client.post(admin_url(record), data, follow=True)
    assert response.redirect_chain, errors_on(response)
    return response


def review_url(record, action=""):
    return admin_url(record, "pending") + action
