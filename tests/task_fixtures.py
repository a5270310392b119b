"""Tasks for the tests of the task machinery (a worker process imports them by path)."""

import os
import time
from pathlib import Path

from claims.tasks import background_task


@background_task(retries=2)
def fail_until(marker: str, successes_after: int) -> str:
    """Fails until it has been tried ``successes_after`` times (counted in a file)."""
    path = Path(marker)
    tries = int(path.read_text()) + 1 if path.exists() else 1
    path.write_text(str(tries))
    if tries < successes_after:
        raise RuntimeError(f"try {tries} fails")
    return f"done after {tries}"


@background_task
def slow_once(marker: str) -> str:
    """The first run writes its process id and waits to be killed; a later run finishes."""
    path = Path(marker)
    if not path.exists():
        path.write_text(str(os.getpid()))
        time.sleep(120)
    return "finished"


@background_task
def nothing() -> None:
    """Does nothing: the benchmark's task."""
