"""Running the site: the health check tells the truth about everything a page needs, a
database that hangs fails a request fast with the friendly error page, the log says each
thing once and calmly, and production refuses settings that would expose the site."""

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


def _one_request(path, host="testserver", **env):
    """GET ``path`` in a fresh process with these environment variables, as a server would
    answer it: (what the visitor got, the lines the site logged)."""
    try:
        run = subprocess.run(
            [sys.executable, "-m", "tests.one_request", path, host],
            cwd=settings.BASE_DIR,
            # PYTHONWARNINGS: whitenoise warns that collectstatic has not run; a server has.
            env={
                **os.environ,
                "CACHE_URL": "",
                "ALLOWED_HOSTS": "testserver",
                "PYTHONWARNINGS": "ignore",
                **env,
            },
            capture_output=True,
            text=True,
            timeout=30,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{path} waited 30 s or more")
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout.splitlines()[-1]), run.stderr.splitlines()


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
    result, _ = _one_request(
        "/",
        DATABASE_URL=f"postgres://netinfo@127.0.0.1:{silent_server}/netinfo",
        DB_CONNECT_TIMEOUT="2",  # libpq waits 2 s at the least
    )
    assert result["status"] == 500
    assert result["friendly"]
    assert result["seconds"] < 10


def test_a_cache_that_never_answers_fails_the_health_check_fast(silent_server, tmp_path):
    result, _ = _one_request(
        "/healthz",
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        CACHE_URL=f"redis://127.0.0.1:{silent_server}/0",
    )
    assert result["status"] == 503
    assert result["seconds"] < 4  # 2 s to wait for Redis (redis-py alone waits 5 s)


@pytest.mark.django_db
def test_postgresql_stops_a_statement_that_runs_too_long():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (make test runs the suite on it too)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "20s"


def test_every_response_forbids_camera_microphone_location_and_cohorts(client, db):
    # "/" twice: the second answer comes from the page cache.
    for url in ["/", "/", "/trials/", "/no-such-page/", "/healthz", "/admin/login/"]:
        policy = client.get(url).get("Permissions-Policy", "")
        features = {part.strip() for part in policy.split(",")}
        assert {"camera=()", "microphone=()", "geolocation=()", "interest-cohort=()"} <= features


PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "a-long-random-production-secret-value-" + "x1y2z3" * 5,
    "SECURE_SSL_REDIRECT": "false",
}


@pytest.fixture
def site_database(site_database_file):
    """A migrated SQLite file, as a running site has, for the requests in a fresh process."""
    return {"DATABASE_URL": f"sqlite:///{site_database_file}"}


@pytest.mark.parametrize("env", [{}, PRODUCTION], ids=["development", "production"])
def test_a_request_for_a_host_we_do_not_serve_logs_one_warning_line(env, site_database):
    result, log = _one_request("/", host="evil.example", **site_database, **env)

    assert result["status"] == 400
    assert log == [
        "WARNING django.security.DisallowedHost: Invalid HTTP_HOST header: 'evil.example'. "
        "You may need to add 'evil.example' to ALLOWED_HOSTS."
    ]


def test_each_log_line_is_printed_once_in_development(site_database):
    result, log = _one_request("/no-such-page/", **site_database)

    assert result["status"] == 404
    assert log == ["WARNING django.request: Not Found: /no-such-page/"]


def _check(**env):
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "ALLOWED_HOSTS": "nets.example.org", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_with_debug_on():
    result = _check(**PRODUCTION, DEBUG="true")
    assert result.returncode != 0
    assert "DEBUG must be false when DJANGO_ENV=production" in result.stderr


def test_production_refuses_to_start_with_a_short_secret_key():
    result = _check(**{**PRODUCTION, "SECRET_KEY": "short-and-guessable"})
    assert result.returncode != 0
    assert "SECRET_KEY must be a random string of at least 50 characters" in result.stderr
    assert _check(**PRODUCTION).returncode == 0


@pytest.mark.parametrize("host", ["127.0.0.1:8101", "localhost"])
def test_robots_txt_points_at_the_sitemap_where_the_site_is_asked(client, db, host):
    text = client.get("/robots.txt", HTTP_HOST=host).content.decode()
    assert f"Sitemap: http://{host}/sitemap.xml" in text.splitlines()
