"""A stand-in for ClinicalTrials.gov's API on 127.0.0.1, for the sync's tests.

The tests never use the internet. This server answers with what a test queues (a page, a 429,
a 500, a slow answer) so the real HTTP code runs: requests, urllib3's retries and back-off,
the timeout. Each request's path and query are kept for the test to look at.
"""

import json
import socket
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class FakeRegistry:
    def __init__(self):
        self.answers = deque()
        self.requests = []
        registry = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                parts = urlsplit(self.path)
                registry.requests.append((parts.path, parse_qs(parts.query)))
                if registry.answers:
                    status, body, delay, headers = registry.answers.popleft()
                else:
                    status, body, delay, headers = 500, b'{"error": "nothing queued"}', 0, {}
                if delay:
                    time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client gave up waiting (a timeout test)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        # It checks for stop() every 20 ms: the default half second would be waited at the
        # end of every test that uses it.
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/v2"

    def add(self, data=None, *, status=200, body=None, delay=0, headers=None):
        if body is None:
            body = json.dumps(data).encode()
        self.answers.append((status, body, delay, headers or {}))
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def closed_port_url():
    """An address on this machine where nothing listens: "no network" for the client."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/v2"
