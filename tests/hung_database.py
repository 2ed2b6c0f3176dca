"""Ask for the home page while the database accepts connections but never answers.

Run by tests/test_operations.py as ``python -m tests.hung_database PORT``, with DATABASE_URL
pointing at a server on PORT that accepts connections and then says nothing. Prints one JSON
line: the status, whether the friendly error page was shown, and how long it took.
"""

import json
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netinfo.settings")

import django  # noqa: E402

django.setup()

from django.test import Client, override_settings  # noqa: E402

started = time.monotonic()
with override_settings(DEBUG=False):  # the error page visitors see, not the debug page
    response = Client(raise_request_exception=False).get("/")
print(
    json.dumps(
        {
            "status": response.status_code,
            "friendly": b"Sorry, something went wrong" in response.content,
            "seconds": round(time.monotonic() - started, 1),
        }
    )
)
sys.exit(0)
