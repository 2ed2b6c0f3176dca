"""One worker process of the site answering "Was this page helpful?" posts.

Run by tests/test_feedback.py as ``python -m tests.feedback_worker DB_PATH COUNT``: each run
is a new process, with its own memory, like each of gunicorn's workers. Prints one JSON line:
the status of each of COUNT answers sent from one address.
"""

import json
import os
import sys

os.environ["DATABASE_URL"] = f"sqlite:///{sys.argv[1]}"
os.environ["CACHE_URL"] = ""  # the default: memory of this process only
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netinfo.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

call_command("migrate", verbosity=0)
client = Client()
statuses = [
    client.post(
        "/feedback/",
        {"path": "/about-nets/", "helpful": "yes"},
        REMOTE_ADDR="203.0.113.9",
        HTTP_ORIGIN="http://testserver",  # sent from a page of the site, as a browser says
    ).status_code
    for _ in range(int(sys.argv[2]))
]
print(json.dumps(statuses))
