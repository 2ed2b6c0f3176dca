"""The README's commands, run as a new user runs them: the scripts themselves, in a copy of
the checkout whose .venv holds a stand-in python that records what it is asked to do (so no
server starts and nothing is installed)."""

import hashlib
import os
import shutil
import socket
import subprocess
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

FAKE_PYTHON = """#!/usr/bin/env bash
calls="$(dirname "$0")/../calls"
echo "python $* ALLOWED_HOSTS=${ALLOWED_HOSTS:-} SITE_URL=${SITE_URL:-}" >> "$calls"
"""


@pytest.fixture
def checkout(tmp_path):
    """A copy of the scripts, the Makefile and the requirements, with .venv installed."""
    shutil.copytree(ROOT / "scripts", tmp_path / "scripts")
    shutil.copytree(ROOT / ".ci", tmp_path / ".ci")
    for name in ("Makefile", "requirements.txt", "requirements-dev.txt"):
        shutil.copy(ROOT / name, tmp_path / name)
    venv = tmp_path / ".venv"
    (venv / "bin").mkdir(parents=True)
    python = venv / "bin" / "python"
    python.write_text(FAKE_PYTHON)
    python.chmod(0o755)
    requirements = b"".join(
        (tmp_path / name).read_bytes() for name in ("requirements-dev.txt", "requirements.txt")
    )
    digest = hashlib.sha256(requirements).hexdigest()
    for name in ("requirements.txt", "requirements-dev.txt"):
        (venv / f".installed-{name}").write_text(digest + "\n")
    return tmp_path


def run(checkout, *command, **env):
    result = subprocess.run(
        command,
        cwd=checkout,
        env={key: value for key, value in {**os.environ, **env}.items() if value is not None},
        capture_output=True,
        text=True,
        timeout=60,
    )
    calls_file = checkout / ".venv" / "calls"
    calls = calls_file.read_text().splitlines() if calls_file.exists() else []
    return result, calls


# ---- make run ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("port", "address"),
    [
        (None, "http://127.0.0.1:8000/"),
        ("127.0.0.1:8101", "http://127.0.0.1:8101/"),
        ("8102", "http://127.0.0.1:8102/"),
    ],
)
def test_make_run_tells_the_address_it_serves(checkout, port, address):
    result, calls = run(
        checkout, "bash", "scripts/run.sh", PORT=port, ALLOWED_HOSTS=None, SITE_URL=None
    )

    assert result.returncode == 0, result.stderr
    assert f"The site is at {address} and the editing area at {address}admin/" in result.stdout
    bind = port or "127.0.0.1:8000"
    assert calls[-1].startswith(f"python manage.py runserver {bind} ")
    assert f"SITE_URL={address.rstrip('/')}" in calls[-1]


def test_make_run_on_every_interface_answers_to_this_machine_s_names(checkout):
    result, calls = run(
        checkout,
        "bash",
        "scripts/run.sh",
        PORT="0.0.0.0:8080",
        ALLOWED_HOSTS=None,
        SITE_URL=None,
    )

    assert result.returncode == 0, result.stderr
    name = subprocess.run(["hostname"], capture_output=True, text=True).stdout.strip()
    assert f"From another machine: http://{name}:8080/" in result.stdout
    allowed = calls[-1].split("ALLOWED_HOSTS=")[1].split()[0].split(",")
    assert {"localhost", "127.0.0.1", name} <= set(allowed)


def test_make_run_keeps_allowed_hosts_that_are_set(checkout):
    result, calls = run(
        checkout, "bash", "scripts/run.sh", PORT="0.0.0.0:8080", ALLOWED_HOSTS="nets.local"
    )
    assert result.returncode == 0, result.stderr
    assert "ALLOWED_HOSTS=nets.local " in calls[-1]


# ---- The throw-away test services (make test) -------------------------------------------


@pytest.fixture
def somebody_elses_server():
    """A server on a loopback port that records whatever it is sent."""
    listener = socket.create_server(("127.0.0.1", 0))
    received = []
    stop = threading.Event()

    def serve():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            conn.settimeout(0.5)
            try:
                received.append(conn.recv(1024))
            except OSError:
                pass
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1], received
    stop.set()
    thread.join()
    listener.close()


@pytest.mark.parametrize(
    ("start", "variable", "name"),
    [("start_redis", "REDIS_PORT", "Redis"), ("start_postgres", "PG_PORT", "PostgreSQL")],
)
def test_the_test_services_refuse_a_port_in_use_and_leave_that_server_alone(
    somebody_elses_server, start, variable, name
):
    port, received = somebody_elses_server
    result = subprocess.run(
        ["bash", "-c", f"source scripts/services.sh; {start}; echo started"],
        cwd=ROOT,
        env={**os.environ, variable: str(port)},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "started" not in result.stdout
    assert f"Port {port} ({variable}) is already in use, perhaps by somebody else's {name}." in (
        result.stderr
    )
    assert not any(received), received  # nothing sent to it: no "shutdown", no "flushall"


@pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed")
def test_the_test_redis_starts_on_a_free_port_and_only_it_is_stopped(somebody_elses_server):
    port, received = somebody_elses_server
    result = subprocess.run(
        [
            "bash",
            "-c",
            "set -e; source scripts/services.sh; start_redis; echo $REDIS_PORT; "
            "redis-cli -p $REDIS_PORT ping",
        ],
        cwd=ROOT,
        env={key: value for key, value in os.environ.items() if key != "REDIS_PORT"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    ours, pong = result.stdout.split()
    assert pong == "PONG" and int(ours) != port
    with socket.socket() as probe:  # stopped when the script ended
        assert probe.connect_ex(("127.0.0.1", int(ours))) != 0
    assert not any(received)


# ---- A fresh clone ----------------------------------------------------------------------

FAKE_SYSTEM_PYTHON = """#!/usr/bin/env bash
# python3 -m venv .venv: a stand-in environment whose python and ruff record their calls.
if [ "$1 $2" = "-m venv" ]; then
  mkdir -p "$3/bin"
  for tool in python ruff; do
    printf '#!/usr/bin/env bash\\necho "%s $*" >> "%s/calls"\\n' "$tool" "$PWD/$3" > "$3/bin/$tool"
    chmod +x "$3/bin/$tool"
  done
fi
"""


@pytest.fixture
def fresh_clone(checkout, tmp_path_factory):
    shutil.rmtree(checkout / ".venv")
    python = tmp_path_factory.mktemp("system") / "python3"
    python.write_text(FAKE_SYSTEM_PYTHON)
    python.chmod(0o755)
    return checkout, str(python)


@pytest.mark.parametrize(
    ("target", "requirements", "then"),
    [
        ("lint", "requirements-dev.txt", "ruff check ."),
        ("bench", "requirements.txt", "python manage.py bench"),
    ],
)
def test_make_lint_and_make_bench_set_up_the_environment_on_a_fresh_clone(
    fresh_clone, target, requirements, then
):
    checkout, python = fresh_clone
    result, calls = run(checkout, "make", "--no-print-directory", target, PYTHON=python)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Creating the virtual environment in .venv" in result.stdout
    install = next(i for i, call in enumerate(calls) if "install" in call and requirements in call)
    assert any(then in call for call in calls[install:]), calls


def test_ci_run_says_it_is_ci_itself(checkout, tmp_path_factory):
    fake_bin = tmp_path_factory.mktemp("bin")
    for name, body in {
        "id": "echo 1000",  # not root: no apt-get here
        "make": 'echo "make $* CI=${CI:-}" >> "$PWD/.venv/calls"',
    }.items():
        (fake_bin / name).write_text(f"#!/usr/bin/env bash\n{body}\n")
        (fake_bin / name).chmod(0o755)

    result, calls = run(
        checkout, "bash", ".ci/run", CI=None, PATH=f"{fake_bin}:{os.environ['PATH']}"
    )

    assert result.returncode == 0, result.stderr
    assert calls == ["make test CI=true"]


def test_the_readme_runs_django_commands_with_the_environment_s_python():
    readme = (ROOT / "README.md").read_text()
    local_use = readme.split("## Deploying")[0]  # a server has its own environment
    for line in local_use.splitlines():
        for part in line.split("python manage.py")[:-1]:
            assert part.endswith(".venv/bin/"), line
    audit = next(line for line in readme.splitlines() if line.startswith("| `make audit`"))
    assert "npm" in audit
