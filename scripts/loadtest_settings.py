"""Settings of the load test's server (``scripts/loadtest.py``): production settings as
they are, plus the trivial comparison view (``scripts/loadtest_urls.py``) and static files
collected into a throw-away folder instead of the working tree's ``staticfiles/``.

Everything else (DEBUG off, the secret key, hosts, database, Redis, HTTPS switches) comes
from the environment that ``scripts/loadtest.py`` sets, as in a deployment.
"""

import os

from factcheck.settings import *  # noqa: F403

ROOT_URLCONF = "scripts.loadtest_urls"
if os.environ.get("LOADTEST_STATIC_ROOT"):
    STATIC_ROOT = os.environ["LOADTEST_STATIC_ROOT"]
