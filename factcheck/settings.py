"""Settings for the fact-checking desk.

Everything that differs between a laptop and production comes from the environment
through the strict helpers in ``factcheck.env``; README.md lists the variables.
Defaults are safe for development when ``DEBUG=1`` and secure otherwise.
"""

import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from factcheck.env import (
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_origins,
    env_required,
    env_str,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY") or "django-insecure-development-only-never-in-production"
else:
    SECRET_KEY = env_required(
        "SECRET_KEY", "production needs a long random secret (DEBUG is off)."
    )
    if SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "SECRET_KEY is too weak for production: use 50 or more random characters, e.g. "
            '`python -c "import secrets; print(secrets.token_urlsafe(50))"`.'
        )

if DEBUG:
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
else:
    # Without it every request would be refused with 400: say so at start-up instead.
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS must be set: the host names this site answers to (comma-separated)."
        )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    # The task queue's embedded backend: tasks are rows in the database (docs/tasks.md).
    "django_tasks_db",
    # The JSON API (claims/api/): its Swagger UI templates and static files.
    "ninja",
    "claims",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Permissions-Policy on every response, static files and cached pages included.
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Database down → 503 with Retry-After on a page that needs no database.
    "factcheck.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below whitenoise, which serves its own pre-compressed static files; cached public
    # pages come compressed from the page cache (claims/caching.py) and are left alone.
    "factcheck.middleware.AnonymousGZipMiddleware",
    # Under /api/: CORS for the public reads and rate-limit headers, on 304s too.
    "factcheck.api_headers.ApiCorsMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Under /api/: the language from Accept-Language, problem documents for every error
    # (below LocaleMiddleware, which would set the default language).
    "factcheck.api_headers.ApiHeadersMiddleware",
    "django.middleware.common.CommonMiddleware",
    # 413 for a body over its view's limit before the CSRF middleware reads it.
    "factcheck.limits.BodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): signed in with a second factor in this session.
    "django_otp.middleware.OTPMiddleware",
    # Desk and admin only for users who gave their code (or, when their role requires a
    # second factor, who set one up): claims.signin.
    "claims.signin.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "claims.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# SQLite (the embedded default) runs in WAL mode with IMMEDIATE transactions, so
# concurrent writers queue on the busy timeout instead of failing with "database is
# locked" halfway through a transaction. PostgreSQL (production) goes through psycopg 3.
DATABASE_URL = env_url(
    "DATABASE_URL",
    f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
    {"sqlite", "postgres", "postgresql", "pgsql"},
)
try:
    _database = dj_database_url.parse(DATABASE_URL)
except (ValueError, dj_database_url.ParseError) as error:
    raise ImproperlyConfigured(f"DATABASE_URL cannot be read: {error}") from None
if _database["ENGINE"] == "django.db.backends.sqlite3":
    if _database["NAME"] in ("", ":memory:"):
        raise ImproperlyConfigured(
            "DATABASE_URL names no SQLite file; use sqlite:////absolute/path/db.sqlite3 "
            "(four slashes for an absolute path)."
        )
    _busy_seconds = env_int("SQLITE_BUSY_TIMEOUT", 20, minimum=1)
    _database["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": _busy_seconds,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            f"PRAGMA busy_timeout={_busy_seconds * 1000};"
        ),
    }
else:
    if not _database["NAME"]:
        raise ImproperlyConfigured("DATABASE_URL names no database (…/dbname at the end).")
    _database["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60, minimum=0)
    # A database host that drops packets must give a 503 within seconds, not hang every
    # worker until the operating system's TCP timeout.
    _database.setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DATABASE_CONNECT_TIMEOUT", 3, minimum=1
    )
    _database["CONN_HEALTH_CHECKS"] = True
    # PostgreSQL's JIT compiler pays off for long analytic queries; for a web page's short
    # ones it only adds its compile time (10–20 ms on queries the planner thinks costly,
    # such as a page's counts; docs/performance-work.md). Off for this application's
    # sessions; DATABASE_JIT=1 leaves the server's setting alone.
    if not env_bool("DATABASE_JIT", False):
        _database["OPTIONS"]["options"] = "-c jit=off"
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------
REDIS_URL = env_url("REDIS_URL", None, {"redis", "rediss", "unix"})
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis backend, keeping one client per pool, that degrades to "every
            # read misses, every write is skipped" while Redis cannot be reached and
            # comes back by itself (factcheck/cache.py).
            "BACKEND": "factcheck.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "factcheck"),
            "OPTIONS": {
                # A Redis that does not answer costs one request at most this long; the
                # others skip it until it answers a ping again (every RETRY_SECONDS).
                "socket_connect_timeout": 1,
                "socket_timeout": 2,
                "RETRY_SECONDS": 1,
                "WARNING_INTERVAL": 30,
                # Before Redis is used again: pages cached before the outage go stale.
                "ON_RECOVERY": ["claims.caching.after_cache_outage"],
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Each worker's own short-lived copy of the hottest public pages, in front of the shared
# cache (claims.caching; FACTCHECK_PUBLIC_CACHE_LOCAL_SECONDS).
CACHES["public-pages-local"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "public-pages-local",
    "OPTIONS": {"MAX_ENTRIES": 500},
}
# With the shared Redis cache, sessions are read from it and written through to the
# database: no session query on most desk requests, nothing lost when the cache is flushed
# or down (factcheck.sessions: Django's cached_db, evicting copies changed during an
# outage). A per-process cache must not hold them: signing out on one worker would leave
# the session alive in the others' caches.
SESSION_ENGINE = "factcheck.sessions" if REDIS_URL else "django.contrib.sessions.backends.db"

# --- Authentication -------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "claims:login"
LOGIN_REDIRECT_URL = "claims:desk"
LOGOUT_REDIRECT_URL = "claims:home"

# Password guessing (django-axes, claims.signin): after FAILURE_LIMIT failed sign-ins within
# COOLOFF_MINUTES, on the desk's or the admin's sign-in page, further attempts for that
# account and from that client are refused (429) until COOLOFF_MINUTES have passed without
# one; moderators can unlock earlier in the admin. The two counts are separate: the account's
# counts every address (guessing one password from many machines), the address's counts
# every account (one password tried on many accounts). docs/security.md explains the choice.
FACTCHECK_SIGNIN_FAILURE_LIMIT = env_int("FACTCHECK_SIGNIN_FAILURE_LIMIT", 10, minimum=1)
FACTCHECK_SIGNIN_COOLOFF_MINUTES = env_int("FACTCHECK_SIGNIN_COOLOFF_MINUTES", 15, minimum=1)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out sign-in
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = FACTCHECK_SIGNIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=FACTCHECK_SIGNIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# A failed attempt during a lockout starts the cool-off again (axes' default, stated).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
# A success does not wipe the failures: it would also wipe the client address's count, so
# anyone with one valid account could reset it between rounds of guessing at others.
AXES_RESET_ON_SUCCESS = False
# The client as claims.abuse sees it (FACTCHECK_TRUSTED_PROXY_COUNT), stored and shown only
# as a pseudonymous address derived from its salted hash, never the real one.
AXES_CLIENT_IP_CALLABLE = "claims.signin.axes_client_address"
AXES_USERNAME_CALLABLE = "claims.signin.axes_username"
AXES_CLIENT_STR_CALLABLE = "claims.signin.axes_client_str"
AXES_LOCKOUT_CALLABLE = "claims.views.account.locked_out"
# No table of every successful sign-in (claims.signin logs them); failures live in
# AccessAttempt only while they count.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_ENABLE_ADMIN = False  # claims.admin_security registers its own, with "Unlock"
AXES_VERBOSE = False

# Second factor (django-otp): TOTP apps, and single-use recovery codes. Users of the roles
# listed in FACTCHECK_2FA_REQUIRED_ROLES (editors, reviewers, moderators, superusers) cannot
# use the desk or the admin until they have set one up; others may.
_TWO_FACTOR_ROLES = {"editors", "reviewers", "moderators", "superusers"}
FACTCHECK_2FA_REQUIRED_ROLES = frozenset(
    role.lower() for role in env_list("FACTCHECK_2FA_REQUIRED_ROLES", [])
)
if FACTCHECK_2FA_REQUIRED_ROLES - _TWO_FACTOR_ROLES:
    raise ImproperlyConfigured(
        "FACTCHECK_2FA_REQUIRED_ROLES may list only "
        + ", ".join(sorted(_TWO_FACTOR_ROLES))
        + f" (got {', '.join(sorted(FACTCHECK_2FA_REQUIRED_ROLES - _TWO_FACTOR_ROLES))})."
    )
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a device's secret key
# Article uploads and pasted text go up to a few MB; each desk endpoint has its own limit
# (claims.views.limits.max_body, at most 6 MB) with a readable error, so this one, which
# answers with a bare 400, must stay above all of them.
DATA_UPLOAD_MAX_MEMORY_SIZE = 6_500_000

# --- Languages and time ---------------------------------------------------------------
# URLs carry the language (/de/… for German, no prefix for the default), so a cached
# page never depends on a cookie or header of the visitor.
LANGUAGES = [("en", _("English")), ("de", _("German"))]
LANGUAGE_CODE = env_choice("LANGUAGE_CODE", "en", {code for code, _name in LANGUAGES})
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Berlin")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Security -------------------------------------------------------------------------
# Secure by default whenever DEBUG is off; each switch can be turned off explicitly for
# a local production-like run over plain HTTP.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe the health check over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # htmx takes the token from the page, never from the cookie
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# No inline script, style or event handler anywhere, so no per-response nonce: whole
# public pages can be cached. Bootstrap's CSS draws a few icons from data: URIs.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Permissions-Policy: the site needs none of the browser's powerful features; a script
# that got in anyway (or a page embedding ours) may use none of them.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "gamepad",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "web-share",
        "xr-spatial-tracking",
    )
}

# --- Forms ----------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- The product ----------------------------------------------------------------------
FACTCHECK_ORGANIZATION_NAME = env_str("FACTCHECK_ORGANIZATION_NAME", "Factcheck Desk")
# The name authenticator apps show beside the account.
OTP_TOTP_ISSUER = FACTCHECK_ORGANIZATION_NAME
FACTCHECK_ORGANIZATION_URL = env_url("FACTCHECK_ORGANIZATION_URL", None, {"http", "https"}) or ""
# The newsroom's brand: a short name (header, cards, share images), a colour (#rrggbb) and a
# logo, a PNG among the static files (at least 256 px high; the header, the share images,
# the embeddable cards and ClaimReview's author.logo use it). The demo keeps a neutral one.
FACTCHECK_ORGANIZATION_SHORT_NAME = (
    env_str("FACTCHECK_ORGANIZATION_SHORT_NAME") or ""
).strip() or FACTCHECK_ORGANIZATION_NAME
FACTCHECK_BRAND_COLOR = (env_str("FACTCHECK_BRAND_COLOR") or "#1f4e79").strip().lower()
if not re.fullmatch(r"#[0-9a-f]{6}", FACTCHECK_BRAND_COLOR):
    raise ImproperlyConfigured(
        f"FACTCHECK_BRAND_COLOR must be a colour as #rrggbb (got {FACTCHECK_BRAND_COLOR!r})."
    )
FACTCHECK_BRAND_LOGO = (env_str("FACTCHECK_BRAND_LOGO") or "brand/logo.png").strip()
# The public address of the site (e.g. https://factcheck.example.org), for every absolute
# URL: canonical links, og:url, ClaimReview, feeds, sitemap, robots.txt. Required with
# DEBUG off (system check factcheck.E001): absolute URLs must never come from a request's
# Host header, which ends up in cached pages. With DEBUG on and none set, the request's
# host is used, and the page cache keys include it.
FACTCHECK_SITE_URL = (env_url("FACTCHECK_SITE_URL", None, {"http", "https"}) or "").rstrip("/")
# The newsroom's own sites that may show a claim's verdict card in an <iframe> (oEmbed,
# claims/views/embed.py), as origins: "https://www.example.org,https://*.example.org".
# Only the card page allows them (CSP frame-ancestors); every other page stays DENY.
FACTCHECK_FRAME_ANCESTORS = env_origins("FACTCHECK_FRAME_ANCESTORS")
# The publishers' sites that may show the verdicts on their own article pages with the
# embed script (/embed.js, docs/embed.md), as origins: "https://www.example.org,
# https://*.example.org"; "*" lets every site. Only these origins get CORS answers from
# the Web Annotation endpoints the script reads; the rest of the public API stays open to
# every origin. Empty (the default): no site can embed.
FACTCHECK_EMBED_ORIGINS = env_origins("FACTCHECK_EMBED_ORIGINS", any_origin=True)
FACTCHECK_REQUIRED_APPROVALS = env_int("FACTCHECK_REQUIRED_APPROVALS", 1, minimum=1)
# The approval that completes the quota publishes in the same step ("Approve and publish");
# off keeps publishing a separate step for newsrooms that want it.
FACTCHECK_PUBLISH_ON_APPROVAL = env_bool("FACTCHECK_PUBLISH_ON_APPROVAL", True)
# How long a public page may be served from the cache; any change to published content
# invalidates it earlier (claims.caching).
FACTCHECK_PUBLIC_CACHE_SECONDS = env_int("FACTCHECK_PUBLIC_CACHE_SECONDS", 600, minimum=0)
# How long each worker may serve a public page from its own memory without asking the
# shared cache whether it is still current: a change made through another worker shows
# there after at most this long (public pages already say max-age=60 to browsers and
# CDNs). 0 turns the local copies off; it is off without REDIS_URL, where the cache is
# per-process anyway.
FACTCHECK_PUBLIC_CACHE_LOCAL_SECONDS = env_int(
    "FACTCHECK_PUBLIC_CACHE_LOCAL_SECONDS", 2 if REDIS_URL else 0, minimum=0, maximum=60
)
# Reader tips and error reports (claims.abuse): at most RATE_LIMIT submissions per client
# in each window of RATE_WINDOW seconds, counted in the shared cache (Redis in production),
# in the database while the cache cannot be reached.
FACTCHECK_READER_RATE_LIMIT = env_int("FACTCHECK_READER_RATE_LIMIT", 5, minimum=1)
FACTCHECK_READER_RATE_WINDOW = env_int("FACTCHECK_READER_RATE_WINDOW", 600, minimum=1)
# The JSON API (claims/api/, docs/api.md): requests per client in each window of
# API_RATE_WINDOW seconds; a client is a token, or else an address (as for reader input).
# Over the limit: 429 with Retry-After. Counted in the shared cache; while it is down the
# API is not limited (reads are cheap; writes have the desk's own checks).
FACTCHECK_API_RATE_LIMIT = env_int("FACTCHECK_API_RATE_LIMIT", 120, minimum=1)
FACTCHECK_API_TOKEN_RATE_LIMIT = env_int("FACTCHECK_API_TOKEN_RATE_LIMIT", 600, minimum=1)
FACTCHECK_API_RATE_WINDOW = env_int("FACTCHECK_API_RATE_WINDOW", 60, minimum=1)
# How many proxies in front of the site append the client address to X-Forwarded-For;
# 0: the header is ignored (anyone can send one) and REMOTE_ADDR is the client.
FACTCHECK_TRUSTED_PROXY_COUNT = env_int("FACTCHECK_TRUSTED_PROXY_COUNT", 0, minimum=0)
# Tips and error reports older than this are deleted by `manage.py purgereaderinput`.
FACTCHECK_READER_RETENTION_DAYS = env_int("FACTCHECK_READER_RETENTION_DAYS", 365, minimum=1)
# URL import (claims.importing.fetch): connect and read timeout in seconds (the whole fetch
# may take three times as long), the most bytes read (after decompression), whether loopback
# and private addresses may be fetched (tests, intranets; never link-local or cloud
# metadata), and the User-Agent sent.
# API tokens (claims.tokens): the longest lifetime a user may choose, in days.
FACTCHECK_API_TOKEN_MAX_DAYS = env_int("FACTCHECK_API_TOKEN_MAX_DAYS", 365, minimum=1)
FACTCHECK_FETCH_TIMEOUT = env_int("FACTCHECK_FETCH_TIMEOUT", 10, minimum=1)
FACTCHECK_FETCH_MAX_BYTES = env_int("FACTCHECK_FETCH_MAX_BYTES", 5_000_000, minimum=1)
FACTCHECK_FETCH_ALLOW_PRIVATE = env_bool("FACTCHECK_FETCH_ALLOW_PRIVATE", False)
FACTCHECK_FETCH_USER_AGENT = (env_str("FACTCHECK_FETCH_USER_AGENT") or "").strip() or (
    "Mozilla/5.0 (compatible; FactcheckDesk/1.0"
    + (f"; +{FACTCHECK_ORGANIZATION_URL}" if FACTCHECK_ORGANIZATION_URL else "")
    + ")"
)
if not FACTCHECK_FETCH_USER_AGENT.isascii() or not FACTCHECK_FETCH_USER_AGENT.isprintable():
    raise ImproperlyConfigured("FACTCHECK_FETCH_USER_AGENT must be printable ASCII text.")

# --- Email (docs/tasks.md, "Email") -----------------------------------------------------
# Desk notifications, digests, password resets and moderators' replies to readers, always
# sent by a task (claims.tasks.email), never inside a request. SMTP in production; with
# DEBUG on, the console (the worker of `make run` prints every message).
# Django 6.1's MAILERS (the EMAIL_HOST … settings are deprecated); the variables keep the
# familiar names.
_EMAIL_BACKEND = env_choice("EMAIL_BACKEND", "console" if DEBUG else "smtp", {"smtp", "console"})
_EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
_EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if _EMAIL_USE_TLS and _EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set EMAIL_USE_TLS (STARTTLS) or EMAIL_USE_SSL, not both.")
if _EMAIL_BACKEND == "smtp":
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 25, minimum=1, maximum=65535),
                "username": env_str("EMAIL_HOST_USER", ""),
                "password": env_str("EMAIL_HOST_PASSWORD", ""),
                "use_tls": _EMAIL_USE_TLS,
                "use_ssl": _EMAIL_USE_SSL,
                "timeout": env_int("EMAIL_TIMEOUT", 20, minimum=1),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "factcheck@localhost")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Password reset requests: at most this many per client address per hour (a 429 beyond),
# and at most 3 emails to one address per hour (beyond, the same answer and no email).
FACTCHECK_PASSWORD_RESET_LIMIT = env_int("FACTCHECK_PASSWORD_RESET_LIMIT", 5, minimum=1)

# --- Background tasks (docs/tasks.md) ----------------------------------------------------
# Django's task framework. The default backend keeps tasks in the database, so one machine
# needs nothing else: `make run` starts a worker beside the server, `make worker` runs one
# in production. FACTCHECK_TASK_BACKEND=rq puts them on Redis (REDIS_URL) for workers on
# several machines (requirements/rq.txt, `manage.py rqworker --with-scheduler`).
FACTCHECK_TASK_BACKEND = env_choice("FACTCHECK_TASK_BACKEND", "database", {"database", "rq"})
if FACTCHECK_TASK_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("FACTCHECK_TASK_BACKEND=rq needs REDIS_URL.")
    INSTALLED_APPS.insert(INSTALLED_APPS.index("claims"), "django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A failing task is tried again this many times, after 1, 2, 4 … times the base delay
# (claims.tasks.background_task); after the last try it stays failed in the admin.
FACTCHECK_TASK_RETRIES = env_int("FACTCHECK_TASK_RETRIES", 4, minimum=0, maximum=20)
FACTCHECK_TASK_RETRY_SECONDS = env_int("FACTCHECK_TASK_RETRY_SECONDS", 30, minimum=1)
# A database worker says it is alive every HEARTBEAT seconds; a running task whose worker
# has not for LOST_AFTER seconds (killed, machine gone) is handed to another worker.
FACTCHECK_WORKER_HEARTBEAT_SECONDS = env_int("FACTCHECK_WORKER_HEARTBEAT_SECONDS", 10, minimum=1)
FACTCHECK_WORKER_LOST_AFTER_SECONDS = env_int("FACTCHECK_WORKER_LOST_AFTER_SECONDS", 60, minimum=2)
# Finished tasks are deleted after this many days (failed ones after three times as long).
FACTCHECK_TASK_RESULT_DAYS = env_int("FACTCHECK_TASK_RESULT_DAYS", 14, minimum=1)
# The periodic jobs (claims.scheduling): name → the task and how often it is enqueued. A
# worker enqueues the due ones (or cron runs `manage.py runscheduler --once`); a database
# row lock makes sure each is enqueued once however many workers run.
FACTCHECK_SCHEDULE = {
    "purge-reader-input": {
        "task": "claims.tasks.maintenance.purge_reader_input",
        "every": timedelta(days=1),
    },
    "clear-sessions": {
        "task": "claims.tasks.maintenance.clear_sessions",
        "every": timedelta(days=1),
    },
    "prune-task-results": {
        "task": "claims.tasks.maintenance.prune_task_results",
        "every": timedelta(days=1),
    },
    "prune-imports": {
        "task": "claims.tasks.maintenance.prune_imports",
        "every": timedelta(days=1),
    },
    # Each user's daily digest, from their digest hour on (claims.tasks.email).
    "send-digests": {
        "task": "claims.tasks.email.send_digests",
        "every": timedelta(hours=1),
    },
    "render-share-images": {
        "task": "claims.tasks.maintenance.render_share_images",
        "every": timedelta(minutes=15),
    },
    # Each article has its own schedule (claims.models.watch); this only looks for due ones.
    "watch-articles": {
        "task": "claims.tasks.watch.watch_due_articles",
        "every": timedelta(minutes=5),
    },
    # Enqueues a link check of each source of a published claim not checked for
    # FACTCHECK_SOURCE_CHECK_DAYS (claims.tasks.links).
    "check-sources": {
        "task": "claims.tasks.links.check_due_sources",
        "every": timedelta(hours=1),
    },
}
# Sources of published claims are checked again after this many days; three failed
# checks in a row flag a source as unreachable (docs/tasks.md).
FACTCHECK_SOURCE_CHECK_DAYS = env_int("FACTCHECK_SOURCE_CHECK_DAYS", 7, minimum=1)
# The web archive asked for copies of sources, in the Internet Archive's Save Page Now
# format; a trusted service the operator names (not put through the fetch's SSRF guard).
# The key and secret (https://archive.org/account/s3.php) are sent as "LOW key:secret".
FACTCHECK_ARCHIVE_ENDPOINT = env_url(
    "FACTCHECK_ARCHIVE_ENDPOINT", "https://web.archive.org/save", {"http", "https"}
)
FACTCHECK_ARCHIVE_ACCESS_KEY = env_str("FACTCHECK_ARCHIVE_ACCESS_KEY") or ""
FACTCHECK_ARCHIVE_ACCESS_SECRET = env_str("FACTCHECK_ARCHIVE_ACCESS_SECRET") or ""
# Ask for archived copies of a claim's sources (those without one) when it is published.
FACTCHECK_ARCHIVE_ON_PUBLISH = env_bool("FACTCHECK_ARCHIVE_ON_PUBLISH", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # API tokens and Authorization headers never reach a log (factcheck/log_redaction.py).
    "filters": {"redact_secrets": {"()": "factcheck.log_redaction.RedactSecrets"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]}},
    "root": {
        "handlers": ["console"],
        "level": env_choice("LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR"}),
    },
    # The task framework logs each task's start and end; once (Django's own "django"
    # logger would print them a second time with DEBUG on).
    "loggers": {"django.tasks": {"handlers": ["console"], "propagate": False}},
}
