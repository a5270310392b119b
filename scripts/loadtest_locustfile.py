"""Locust users for ``scripts/loadtest.py`` (not meant to be run on its own).

The orchestrator writes a JSON file with what the users need (URLs, editor accounts, the
article's revision and spans to mark) and passes its path in ``LOADTEST_CONFIG``; the
users write what locust does not count itself (page-cache hits, expected edit conflicts)
to ``LOADTEST_EXTRA_OUT`` when locust quits.

- ``ReaderUser``: anonymous readers, no think time: home, seed article, claim page.
- ``EditorUser``: editors who sign in (CSRF), mark claims in the seed article, open claim
  panels and save them after "typing" for a moment; one shared draft claim is edited by
  all of them, so some saves lose the race and get 409 (counted apart, not as errors).
- ``ProbeUser``: the capacity comparison, no think time: trivial view, static file and the
  three public pages, taking turns in short slices of time (see ``PROBE_SLICE``).
"""

import itertools
import json
import os
import random
import re
import time
from collections import Counter, defaultdict

from _common import form_data
from locust import FastHttpUser, HttpUser, between, constant, events, task
from locust.exception import StopUser

CONFIG = json.loads(open(os.environ["LOADTEST_CONFIG"], encoding="utf-8").read())  # noqa: SIM115
ACCOUNTS = itertools.cycle(CONFIG["editors"])
CONFLICT_NAME = "desk: save claim → 409 conflict (expected)"
SIMILAR_NAME = "desk: mark claim → similar claims shown (expected)"
# The marking's answer when the passage is like a checked claim
# (templates/claims/desk/_similar_claims.html).
SIMILAR_PANEL = 'id="similar-claims"'


cache_outcomes: dict[str, Counter] = defaultdict(Counter)
counts: Counter = Counter()
# Every response time (ms), so that runs can be merged and percentiles are exact (locust's
# own are rounded to two significant digits).
samples: dict[str, list[float]] = defaultdict(list)


@events.request.add_listener
def _sample(name, response_time, **_kwargs):
    samples[name].append(round(response_time, 2))


@events.quitting.add_listener
def _write_extra(environment, **_kwargs):
    path = os.environ.get("LOADTEST_EXTRA_OUT")
    if path:
        with open(path, "w", encoding="utf-8") as out:
            extra = {
                "cache": cache_outcomes,
                "counts": counts,
                "samples": samples,
                "slices": started_in_slice,
            }
            json.dump(extra, out)


def _page(user, name: str, url: str) -> None:
    """GET a public page (or other probe URL); anything but 200 is a failure."""
    with user.client.get(url, name=name, catch_response=True) as response:
        if response.status_code != 200:
            response.failure(f"HTTP {response.status_code}")
            return
        cache_outcomes[name][response.headers.get("X-Cache") or "none"] += 1


class ReaderUser(FastHttpUser):
    """An anonymous reader going through the public pages without pause."""

    wait_time = constant(0)

    @task
    def home(self):
        _page(self, "public: home", CONFIG["urls"]["home"])

    @task
    def article(self):
        _page(self, "public: article", CONFIG["urls"]["article"])

    @task
    def claim(self):
        _page(self, "public: claim", CONFIG["urls"]["claim"])


# Probes take turns in slices of wall-clock time, all users on the same endpoint at once:
# slice n belongs to endpoint n mod 5. Interleaving this finely spreads whatever else the
# machine does over all endpoints alike, without restarting locust between them.
PROBE_KEYS = list(CONFIG["probes"])
PROBE_SLICE = CONFIG["probe_slice"]
started_in_slice: Counter = Counter()


class ProbeUser(FastHttpUser):
    """The endpoint of the current slice, as fast as it is answered."""

    wait_time = constant(0)

    @task
    def probe(self):
        index = int(time.time() / PROBE_SLICE)
        probe = CONFIG["probes"][PROBE_KEYS[index % len(PROBE_KEYS)]]
        _page(self, probe["name"], probe["url"])
        started_in_slice[index] += 1


class EditorUser(HttpUser):
    """An editor on the desk: signs in once, then marks claims and saves claim panels."""

    fixed_count = CONFIG["editor_count"]
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.username, password = next(ACCOUNTS)
        self.claims: list[int] = []
        self.token = ""
        article = CONFIG["desk"]["article"]
        self.workspace_url = f"/desk/articles/{article}/"
        self.mark_url = f"/desk/articles/{article}/mark/"
        response = self.client.get("/desk/login/", name="desk: sign-in form")
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
        if response.status_code != 200 or not found:
            raise StopUser
        with self.client.post(
            "/desk/login/",
            data={
                "username": self.username,
                "password": password,
                "csrfmiddlewaretoken": found.group(1),
            },
            name="desk: sign in (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in answered HTTP {response.status_code}")
                raise StopUser
        self.open_workspace()

    def _htmx(self) -> dict:
        return {"HX-Request": "true", "X-CSRFToken": self.token}

    @task(1)
    def open_workspace(self):
        with self.client.get(
            self.workspace_url, name="desk: workspace", catch_response=True
        ) as response:
            found = re.search(r'"X-CSRFToken": "([^"]+)"', response.text or "")
            if response.status_code != 200 or not found:
                response.failure(f"workspace: HTTP {response.status_code}, no CSRF token")
                return
            self.token = found.group(1)

    @task(3)
    def mark(self):
        start, end, exact = random.choice(CONFIG["desk"]["spans"])
        with self.client.post(
            self.mark_url,
            data={
                "revision": CONFIG["desk"]["revision"],
                "start": start,
                "end": end,
                "exact": exact,
            },
            headers=self._htmx(),
            name="desk: mark claim (htmx POST)",
            catch_response=True,
        ) as response:
            pushed = re.search(r"/claims/(\d+)/", response.headers.get("HX-Push-Url", ""))
            if response.status_code == 200 and not pushed and SIMILAR_PANEL in response.text:
                # The passage is like a claim already checked: the desk shows it to link
                # instead of a new claim. A right answer, counted under its own name.
                response.request_meta["name"] = SIMILAR_NAME
                response.success()
                return
            if response.status_code != 200 or not pushed:
                response.failure(f"HTTP {response.status_code}")
                return
            self.claims.append(int(pushed.group(1)))

    @task(3)
    def save_own_claim(self):
        if self.claims:
            self.save(random.choice(self.claims[-20:]))

    @task(2)
    def save_shared_claim(self):
        self.save(CONFIG["desk"]["shared_claim"])

    def save(self, claim: int) -> None:
        """Open the panel, type for a moment, save with the version the panel was given."""
        url = f"{self.workspace_url}claims/{claim}/"
        with self.client.get(
            url, headers=self._htmx(), name="desk: claim panel (htmx GET)", catch_response=True
        ) as response:
            if response.status_code != 200 or 'id="claim-form"' not in response.text:
                response.failure(f"HTTP {response.status_code}, no form")
                return
            data = form_data(response.text, "claim-form")
        time.sleep(random.uniform(0.2, 1.0))  # gevent's sleep: the editor types
        counts["saves"] += 1
        data["explanation"] = f"Checked under load by {self.username}, edit {counts['saves']}."
        with self.client.post(
            url,
            data=data,
            headers=self._htmx(),
            name="desk: save claim (htmx POST)",
            catch_response=True,
        ) as response:
            if response.status_code == 409:
                # Another editor saved this claim since the panel was opened: the conflict
                # screen is the expected answer, counted under its own name.
                response.request_meta["name"] = CONFLICT_NAME
                response.success()
                counts["conflicts"] += 1
            elif response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
