"""Two editors save the same page at the same moment, on a SQLite file as `make run` uses.

Run as a script by tests/test_editing_robustness.py (the test database is in memory, where
SQLite locks differently): ``python -m tests.concurrent_saves DB_PATH``. Prints one JSON line:
what each editor's browser got back.
"""

import json
import os
import sys
import threading
import time

os.environ["DATABASE_URL"] = f"sqlite:///{sys.argv[1]}"
os.environ["CACHE_URL"] = ""
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netinfo.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from netinfo.editorial.forms import ContentAdminForm  # noqa: E402
from netinfo.models import Page  # noqa: E402
from tests.editorial import admin_url, errors_on, form_data, staff  # noqa: E402

call_command("migrate", verbosity=0)
page = Page.objects.create(title="Shared page", slug="shared", body="Start.", state="draft")
clients = {}
for name in ("first", "second"):
    clients[name] = Client(raise_request_exception=False)
    clients[name].force_login(staff(name, "Content editor"))
forms = {name: form_data(client.get(admin_url(page))) for name, client in clients.items()}
connection.close()

first_checked = threading.Event()
original_check = ContentAdminForm._check_version


def check_then_linger(form, cleaned):
    """The first save pauses inside its transaction, after its check, while the second
    save starts: the moment two real saves overlap."""
    original_check(form, cleaned)
    if threading.current_thread().name == "first":
        first_checked.set()
        time.sleep(0.5)


ContentAdminForm._check_version = check_then_linger
results = {}


def save(name):
    try:
        response = clients[name].post(admin_url(page), forms[name] | {"body": f"By {name}."})
        results[name] = {
            "status": response.status_code,
            "errors": errors_on(response) if response.status_code == 200 else [],
        }
    except Exception as error:  # reported to the test
        results[name] = {"status": 500, "errors": [repr(error)]}
    finally:
        connection.close()


first = threading.Thread(target=save, args=("first",), name="first")
second = threading.Thread(target=save, args=("second",), name="second")
first.start()
first_checked.wait(10)
second.start()
first.join()
second.join()
page.refresh_from_db()
results["body"] = page.body
print(json.dumps(results))
