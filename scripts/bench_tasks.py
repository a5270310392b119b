#!/usr/bin/env python
"""Benchmark of the task queue's database backend: tasks per second through real worker
processes (``manage.py runworker``), and the time from enqueue to start.

    .venv/bin/python scripts/bench_tasks.py [--tasks 2000] [--markdown out.md]

On SQLite (a fresh file) and on PostgreSQL (a fresh database on BENCH_POSTGRES_URL's
server, dropped afterwards; skipped with a note when it cannot be reached). The task
does nothing, so the figures are the queue's own cost: claiming a row, running, writing
the result. ``make bench`` adds the Markdown section to docs/performance.md.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
WORKER = [
    "manage.py", "runworker", "--no-reload", "--no-startup-delay", "--no-scheduler", "-v", "0",
]  # fmt: skip
PROBE = """
import json, random, statistics, sys, time
from django_tasks_db.models import DBTaskResult
from tests.task_fixtures import nothing
mode, count = sys.argv[1], int(sys.argv[2])
if mode == "fill":
    DBTaskResult.objects.all().delete()
    start = time.perf_counter()
    for _ in range(count):
        nothing.enqueue()
    print(json.dumps({"enqueue_per_s": count / (time.perf_counter() - start)}))
elif mode == "wait":
    deadline = time.monotonic() + 600
    while DBTaskResult.objects.finished().count() < count and time.monotonic() < deadline:
        time.sleep(0.02)
    rows = DBTaskResult.objects.finished()
    first = min(rows.values_list("started_at", flat=True))
    last = max(rows.values_list("finished_at", flat=True))
    print(json.dumps({"done": rows.count(), "seconds": (last - first).total_seconds()}))
elif mode == "latency":
    DBTaskResult.objects.all().delete()
    waits = []
    for _ in range(count):
        result = nothing.enqueue()
        while True:
            row = DBTaskResult.objects.get(pk=result.id)
            if row.started_at:
                break
            time.sleep(0.005)
        waits.append((row.started_at - row.enqueued_at).total_seconds() * 1000)
        time.sleep(random.uniform(0.05, 0.6))  # at any moment of the worker's polling
    waits.sort()
    print(json.dumps({"median_ms": statistics.median(waits),
                      "p95_ms": waits[int(len(waits) * 0.95) - 1]}))
"""


def env_for(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "REDIS_URL")}
    return {**env, "DEBUG": "1", "DATABASE_URL": url, "FACTCHECK_TASK_BACKEND": "database"}


def python(env: dict, *args: str) -> str:
    command = [sys.executable, *args]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def probe(env: dict, mode: str, count: int) -> dict:
    import json

    return json.loads(
        python(env, "manage.py", "shell", "-v", "0", "-c", PROBE_CALL % (mode, count))
    )


PROBE_CALL = "import sys; sys.argv = ['probe', %r, '%d']; exec(" + repr(PROBE) + ")"


def measure(url: str, tasks: int) -> dict:
    env = env_for(url)
    python(env, "manage.py", "migrate", "-v", "0")
    figures = {}
    for workers in (1, 2):
        filled = probe(env, "fill", tasks)
        procs = [
            subprocess.Popen([sys.executable, *WORKER], cwd=ROOT, env=env) for _ in range(workers)
        ]
        try:
            done = probe(env, "wait", tasks)
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                proc.wait(timeout=30)
        figures[f"{workers} worker{'s' if workers > 1 else ''}"] = done["done"] / done["seconds"]
        figures["enqueue"] = filled["enqueue_per_s"]
    proc = subprocess.Popen([sys.executable, *WORKER], cwd=ROOT, env=env)
    try:
        time.sleep(2)  # started and idle
        figures |= probe(env, "latency", 40)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return figures


def postgres_url() -> tuple[str | None, str, object]:
    import psycopg

    server = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    name = f"factcheck_bench_tasks_{os.getpid()}"
    try:
        admin = psycopg.connect(server, autocommit=True, connect_timeout=5)
        admin.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as error:
        return None, " ".join(str(error).split())[:160], None
    return urlunsplit(urlsplit(server)._replace(path="/" + name)), name, admin


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--markdown", type=Path)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="factcheck-bench-tasks-") as folder:
        rows.append(("SQLite", measure(f"sqlite:///{folder}/tasks.sqlite3", args.tasks)))
    url, name, admin = postgres_url()
    note = ""
    if url is None:
        note = f"PostgreSQL: not measured ({name})."
    else:
        try:
            version = admin.execute("SHOW server_version").fetchone()[0].split()[0]
            rows.append((f"PostgreSQL {version}", measure(url, args.tasks)))
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()
    lines = [
        "## Task queue: the database backend",
        "",
        f"{args.tasks:,} tasks that do nothing, enqueued first, then run by `manage.py "
        "runworker` processes on this machine (an idle worker looks for work every 0.5 s, its "
        "default); throughput "
        "from the first start to the last finish. Enqueue → start: one task at a time into "
        "an idle worker at random moments, 40 times.",
        "",
        "| database | enqueue | 1 worker | 2 workers | enqueue → start, median | p95 |",
        "|---|---|---|---|---|---|",
    ]
    for label, f in rows:
        lines.append(
            f"| {label} | {f['enqueue']:,.0f}/s | {f['1 worker']:,.0f} tasks/s | "
            f"{f['2 workers']:,.0f} tasks/s | {f['median_ms']:.0f} ms | {f['p95_ms']:.0f} ms |"
        )
    if note:
        lines += ["", note]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
