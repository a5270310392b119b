"""Helpers shared by the scripts (``loadtest.py``, its locustfile) and the tests.

No Django and nothing of the project, so that every user can import it: the scripts as
``_common`` (their own folder is on ``sys.path`` when run as ``python scripts/x.py`` or
by locust), the tests as ``scripts._common``.
"""

import signal
import socket
import statistics
import subprocess

import lxml.html


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop_process(process: subprocess.Popen | None, seconds: float = 10) -> None:
    """SIGTERM, then SIGKILL if it has not ended within ``seconds``."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def form_data(html: str, form_id: str | None = None) -> dict[str, str]:
    """What a browser submits for the form ``form_id`` in ``html`` (or, without an id, the
    page's main form: the one with the most fields), as it stands."""
    document = lxml.html.fromstring(html)
    if form_id is None:
        form = max(document.forms, key=lambda f: len(f.inputs))
    else:
        form = document.get_element_by_id(form_id)
    data = {}
    for element in form.inputs:
        name = element.get("name")
        if not name:
            continue
        if element.tag == "textarea":
            data[name] = (element.text or "").removeprefix("\n")
        elif element.tag == "select":
            options = element.xpath(".//option")
            chosen = [o for o in options if o.get("selected") is not None] or options[:1]
            data[name] = chosen[0].get("value", "") if chosen else ""
        else:
            kind = (element.get("type") or "text").lower()
            if kind in {"submit", "button", "reset", "image", "file"}:
                continue
            if kind in {"checkbox", "radio"}:
                if element.get("checked") is not None:
                    data[name] = element.get("value", "on")
                continue
            data[name] = element.get("value") or ""
    return data


def spread(times: list[float]) -> dict:
    """Median, fastest and slowest of repeated timings (milliseconds): the benchmarks' figure."""
    return {"median": statistics.median(times), "min": min(times), "max": max(times)}
