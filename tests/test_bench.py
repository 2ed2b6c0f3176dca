"""The benchmark command: it runs end to end on a throw-away database of its own, writes its
figures as JSON, and shows every page type asking the same number of queries at any size."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_writes_json_and_every_page_asks_as_many_queries_at_both_sizes(tmp_path):
    real_database = tmp_path / "real.sqlite3"
    figures_file = tmp_path / "bench.json"
    # Its own process, so its throw-away database cannot meet this test run's one (whatever
    # DATABASE_URL this run uses), and its own local-memory cache.
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{real_database}"}
    env.pop("CACHE_URL", None)

    done = subprocess.run(
        [sys.executable, "manage.py", "bench", "--sizes", "5,10", "--repeat", "1"]
        + ["--json", str(figures_file)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert done.returncode == 0, done.stderr
    assert "trial finder, cold" in done.stdout  # the table
    assert not real_database.exists()  # never the real database
    report = json.loads(figures_file.read_text())
    pages = {5: {}, 10: {}}
    for figure in report["figures"]:
        pages[figure["size"]][figure["page"]] = figure
    assert set(pages[5]) == set(pages[10])
    # The trivial view, 16 page types cached and cold, 3 after an edit.
    assert len(pages[5]) == 36
    for name, small in pages[5].items():
        large = pages[10][name]
        assert small["status"] == large["status"] == 200, name
        assert small["queries"] == large["queries"], name
    # A page asked again asks only for the content version; a cold one works it all out.
    for name in pages[10]:
        if name.endswith(", cached"):
            assert pages[10][name]["queries"] == 1, name
    # The content version (read once, by the page cache: the finder index uses the same),
    # then the page of trials, their sites and their places.
    assert pages[10]["trial finder, cold"]["queries"] == 4
    assert pages[10]["trial finder, cold"]["cold"] is True
