"""Running the site: the health check tells the truth about everything a page needs, and a
database that hangs fails a request fast with the friendly error page."""

import json
import os
import socket
import subprocess
import sys
import threading

import pytest
from django.conf import settings
from django.db import connection


def _unused_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_healthz_is_503_when_the_cache_is_unreachable(client, db, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_unused_port()}/0",
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "cache": "unreachable"}


def test_healthz_is_200_when_the_database_and_the_cache_answer(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


@pytest.fixture
def silent_server():
    """A server that accepts connections and never answers: a hung database."""
    listener = socket.create_server(("127.0.0.1", 0))
    held = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    listener.close()


def test_a_database_that_never_answers_fails_fast_with_the_friendly_error_page(silent_server):
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://netinfo@127.0.0.1:{silent_server}/netinfo",
        "DB_CONNECT_TIMEOUT": "2",
        "CACHE_URL": "",
        "ALLOWED_HOSTS": "testserver",
    }
    try:
        run = subprocess.run(
            [sys.executable, "-m", "tests.hung_database"],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=20,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the page waited 20 s or more for a database that never answers")
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout.splitlines()[-1])
    assert result["status"] == 500
    assert result["friendly"]
    assert result["seconds"] < 10


@pytest.mark.django_db
def test_postgresql_stops_a_statement_that_runs_too_long():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (make test runs the suite on it too)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "20s"


def test_every_response_forbids_camera_microphone_location_and_cohorts(client, db):
    for url in ["/", "/trials/", "/no-such-page/", "/healthz", "/admin/login/"]:
        policy = client.get(url).get("Permissions-Policy", "")
        features = {part.strip() for part in policy.split(",")}
        assert {"camera=()", "microphone=()", "geolocation=()", "interest-cohort=()"} <= features
