"""Real worker processes: a worker killed in the middle of a task (SIGKILL: no chance to
clean up) loses nothing, because the next worker hands the task back to the queue once
the dead one's heartbeat is old, and runs it; a worker stopped with SIGTERM signs off.

The processes share a SQLite file of their own (the test database of the other tests
lives in memory, or is PostgreSQL)."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _env(db: Path) -> dict[str, str]:
    keep = {"PATH", "HOME", "LANG", "PYTHONPATH"}
    return {
        **{k: v for k, v in os.environ.items() if k in keep},
        "DJANGO_SETTINGS_MODULE": "factcheck.settings",
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{db}",
        "FACTCHECK_TASK_BACKEND": "database",
        "FACTCHECK_WORKER_HEARTBEAT_SECONDS": "1",
        "FACTCHECK_WORKER_LOST_AFTER_SECONDS": "2",
    }


def _manage(db: Path, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_env(db),
        check=True,
        timeout=120,
        capture_output=True,
    )


def _worker(db: Path, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "runworker",
            "--no-scheduler",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.2",
            "-v",
            "2",
        ],
        cwd=ROOT,
        env=_env(db),
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def _wait_for(condition, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"waited {seconds} s for {what}")


def _rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db, timeout=10) as conn:
        return conn.execute(sql).fetchall()


def test_a_task_of_a_killed_worker_runs_again_on_the_next_worker(tmp_path) -> None:
    db, marker, log = tmp_path / "db.sqlite3", tmp_path / "started", tmp_path / "workers.log"
    _manage(db, "migrate", "-v", "0")
    _manage(
        db,
        "shell",
        "-c",
        f"from tests.task_fixtures import slow_once; slow_once.enqueue({str(marker)!r})",
    )
    first = _worker(db, log)
    try:
        _wait_for(marker.exists, "the first worker to start the task")
        assert int(marker.read_text()) == first.pid
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        first.kill()
    [(status, _workers)] = _rows(
        db, "select status, worker_ids from django_tasks_database_dbtaskresult"
    )
    assert status == "RUNNING"  # the dead worker could not say anything

    second = _worker(db, log)
    try:
        _wait_for(
            lambda: (
                _rows(db, "select status from django_tasks_database_dbtaskresult")
                == [("SUCCESSFUL",)]
            ),
            "the second worker to run the task again",
        )
        [(value, worker_ids)] = _rows(
            db, "select return_value, worker_ids from django_tasks_database_dbtaskresult"
        )
        assert value == '"finished"'
        assert len(json.loads(worker_ids)) == 2  # two runs: the killed one and this one
        assert "back in the queue" in log.read_text()

        # SIGTERM: a graceful stop that signs the worker off.
        # (The killed worker's row stays until it is a day old: it could not sign off.)
        assert _rows(db, "select count(*) from claims_taskworker") == [(2,)]
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=30) == 0
        assert _rows(db, "select count(*) from claims_taskworker") == [(1,)]
    finally:
        second.kill()
