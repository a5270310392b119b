"""Settings for the test suite: production settings with test-only switches.

Production security stays on except what cannot work over the test server's plain
HTTP (the HTTPS redirect and secure-only cookies), and passwords hash fast.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-" + "s3cr3t-" * 8)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# Required with DEBUG off (system check factcheck.E001): absolute URLs never come from a
# request's Host header.
os.environ.setdefault("FACTCHECK_SITE_URL", "http://testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("STATIC_MANIFEST", "0")
# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# there unless told that this is fine (it is: the tests are single-threaded).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from factcheck.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# django-axes stays on with its production limits: only failed sign-ins count, every test
# starts from an empty database, and tests/test_signin_throttle.py exercises the real thing.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
