"""One GET request in a fresh process, with the settings the environment gives, the way a
server would handle it: logging configured by settings.LOGGING, errors shown as visitors
see them (DEBUG off for the error page only).

Run by the tests as ``python -m tests.one_request PATH [HOST]``. Prints one JSON line on
stdout: the status, whether the friendly error page was shown, and how long it took. What
the site logged goes to stderr, as it would in a server's log.
"""

import json
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netinfo.settings")

import django  # noqa: E402

django.setup()

from django.test import Client, override_settings  # noqa: E402

path = sys.argv[1]
host = sys.argv[2] if len(sys.argv) > 2 else "testserver"
started = time.monotonic()
with override_settings(DEBUG=False):  # the error page visitors see, not the debug page
    response = Client(raise_request_exception=False).get(path, HTTP_HOST=host)
print(
    json.dumps(
        {
            "status": response.status_code,
            "friendly": b"Sorry, something went wrong" in response.content,
            "seconds": round(time.monotonic() - started, 1),
        }
    )
)
