# Two commands do all set-up on a fresh machine:
#   make run    virtualenv, install, migrate, seed demo data, serve on http://127.0.0.1:$(PORT)
#   make test   test requirements, a Chromium for browser tests, ruff, the whole pytest suite
# Everything else here is a convenience for developers.

SHELL := /bin/sh
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
# Development settings for the local commands: DEBUG on, and always the local SQLite file
# (an exported DATABASE_URL must never receive the demo accounts).
DEV_ENV := env -u DATABASE_URL DEBUG=1

.PHONY: run worker serve test test-rq lint format bench bench-scale eval loadtest check messages chromium services clean help

help:
	@echo "make run [PORT=8000]   set up everything and serve the demo on http://127.0.0.1:$(PORT)"
	@echo "make test              lint, then the whole test suite (browser tests included)"
	@echo "make test-rq           the task tests once more on the RQ backend (needs Redis)"
	@echo "make format            apply ruff's formatting and safe fixes"
	@echo "make worker            a task worker of the production configuration (see docs/tasks.md)"
	@echo "make serve             the production configuration locally (gunicorn, DEBUG off; see docs/deploy.md)"
	@echo "make bench             benchmarks, then the load test; writes docs/performance.md"
	@echo "make bench-scale       the archive at 1,000 / 10,000 / 100,000 claims on PostgreSQL, then the"
	@echo "                       load test on the largest; writes its section of docs/performance.md"
	@echo "make eval              claim matching and check-worthiness on the evaluation set (tests/eval)"
	@echo "make loadtest          load test of the production stack (needs PostgreSQL and Redis)"
	@echo "make messages          update and compile the translation catalogues (needs gettext)"

# --- Virtualenv --------------------------------------------------------------------------
# The interpreter check runs only when the virtualenv has to be (re)created.
$(VENV)/.python-ok:
	@interpreter=$$(scripts/find-python) || exit 1; \
	if [ -x "$(PY)" ] && ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
		echo "Removing $(VENV): it was made with a Python older than 3.12."; rm -rf $(VENV); \
	fi; \
	if [ ! -x "$(PY)" ]; then \
		echo "Creating $(VENV) with $$interpreter ($$($$interpreter --version))"; \
		"$$interpreter" -m venv $(VENV) || exit 1; \
	fi; \
	touch $@

# Reinstall only when a requirements file changed.
$(VENV)/.installed-base: $(VENV)/.python-ok requirements/base.txt
	@echo "Installing runtime requirements…"
	@$(PIP) install -r requirements/base.txt
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed-base requirements/test.txt
	@echo "Installing test requirements…"
	@$(PIP) install -r requirements/test.txt
	@touch $@

# --- Run -------------------------------------------------------------------------------
.demo-password: | $(VENV)/.python-ok
	@$(PY) -c 'import secrets; print(secrets.token_urlsafe(12))' > $@

run: $(VENV)/.installed-base .demo-password
	@$(DEV_ENV) $(PY) manage.py migrate --noinput -v 0
	@password=$${FACTCHECK_DEMO_PASSWORD:-$$(cat .demo-password)}; \
	$(DEV_ENV) FACTCHECK_DEMO_PASSWORD="$$password" $(PY) manage.py loadseeds --demo-users && \
	echo "" && \
	echo "  Fact-checking desk: http://127.0.0.1:$(PORT)/" && \
	echo "  Demo article:       http://127.0.0.1:$(PORT)/articles/trump-daempft-erwartungen-an-nordkoreas-abruestung/" && \
	echo "  Admin:              http://127.0.0.1:$(PORT)/admin/" && \
	echo "  Demo logins:        editor, editor2, reviewer, moderator, admin — password: $$password" && \
	echo ""
	@# The task worker runs beside the server; both stop together (Ctrl+C stops both, and
	@# the worker goes when the server ends for any other reason).
	@# Emails (printed by the worker) carry absolute links: to this server unless set.
	@export FACTCHECK_SITE_URL=$${FACTCHECK_SITE_URL:-http://127.0.0.1:$(PORT)}; \
	$(DEV_ENV) $(PY) manage.py runworker -v 1 & worker=$$!; \
	trap 'pkill -TERM -P $$worker 2>/dev/null; kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# A task worker of the production configuration (docs/deploy.md has a systemd unit): the
# database backend by default, with the heartbeat and the scheduler of periodic jobs.
worker: $(VENV)/.installed-base
	@exec $(PY) manage.py runworker --no-reload -v 1

# The production configuration on this machine: gunicorn, DEBUG off, compressed and hashed
# static files through whitenoise, the database and cache from DATABASE_URL and REDIS_URL.
# Only the HTTPS redirect and secure-only cookies are off unless set (there is no TLS on
# loopback). WEB_CONCURRENCY sets the number of gunicorn workers.
serve: $(VENV)/.installed-base
	@test -n "$$SECRET_KEY" -a -n "$$ALLOWED_HOSTS" -a -n "$$FACTCHECK_SITE_URL" || { \
		echo "make serve runs the production configuration: set SECRET_KEY (50+ characters),"; \
		echo "ALLOWED_HOSTS, FACTCHECK_SITE_URL (e.g. http://127.0.0.1:$(PORT)), and usually"; \
		echo "DATABASE_URL and REDIS_URL. See docs/deploy.md."; exit 1; }
	@export SECURE_SSL_REDIRECT=$${SECURE_SSL_REDIRECT:-0} SECURE_COOKIES=$${SECURE_COOKIES:-0}; \
	$(PY) manage.py check --deploy --fail-level ERROR && \
	$(PY) manage.py collectstatic --noinput -v 0 && \
	$(PY) manage.py migrate --noinput -v 0 && \
	exec $(VENV)/bin/gunicorn factcheck.wsgi --bind 127.0.0.1:$(PORT) \
		--workers $${WEB_CONCURRENCY:-3} --access-logfile - --forwarded-allow-ips 127.0.0.1

# --- Test ------------------------------------------------------------------------------
# Browser tests use the system Chromium ($$CHROMIUM_PATH or /usr/bin/chromium). On a fresh
# machine it is installed from the distribution when we may (root, or sudo without a
# password); only when that is impossible does Playwright download its own.
chromium: $(VENV)/.installed-test
	@if [ -n "$$CHROMIUM_PATH" ] && [ -x "$$CHROMIUM_PATH" ]; then \
		echo "Chromium: $$CHROMIUM_PATH"; \
	elif [ -x /usr/bin/chromium ]; then \
		echo "Chromium: /usr/bin/chromium"; \
	else \
		if [ "$$(id -u)" = 0 ]; then root=""; elif sudo -n true 2>/dev/null; then root="sudo -n"; else root=none; fi; \
		if [ "$$root" != none ] && command -v apt-get >/dev/null 2>&1; then \
			echo "No system Chromium: installing it (apt-get install chromium)…"; \
			$$root apt-get update -qq && $$root apt-get install -y -qq chromium >/dev/null; \
		fi; \
		if [ ! -x /usr/bin/chromium ]; then \
			echo "No system Chromium: installing Playwright's own (playwright install chromium)…"; \
			$(VENV)/bin/playwright install chromium || { echo "error: no Chromium for the browser tests. Install one (apt-get install -y chromium) or set CHROMIUM_PATH."; exit 1; }; \
		fi; \
	fi

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Redis backs the cache tests (REDIS_URL); start a throw-away one when none is running.
services:
	@if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then :; \
	elif command -v redis-server >/dev/null 2>&1; then \
		echo "Starting Redis on 127.0.0.1:6379 for the tests"; \
		redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no; sleep 1; \
	else \
		echo "error: the tests need Redis on 127.0.0.1:6379 (apt-get install -y redis-server)."; exit 1; \
	fi

test: lint chromium services
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# The tests of work through the task queue once more on RQ (Redis), the backend for
# workers on several machines (docs/tasks.md); CI runs it after make test.
$(VENV)/.installed-rq: $(VENV)/.installed-test requirements/rq.txt
	@echo "Installing the RQ backend…"
	@$(PIP) install -r requirements/rq.txt
	@touch $@

test-rq: $(VENV)/.installed-rq services
	env -u DATABASE_URL FACTCHECK_TASK_BACKEND=rq REDIS_URL=$${RQ_REDIS_URL:-redis://127.0.0.1:6379/14} \
		$(VENV)/bin/pytest -m tasks $(PYTEST_ARGS)

format: $(VENV)/.installed-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Benchmarks on generated data (a throw-away SQLite database), then the load test (below);
# writes docs/performance.md. BENCH_ARGS=--no-load skips the load test.
# The claim matching and the check-worthiness hints against the labelled data in tests/eval:
# prints the figures, confusion tables and worst misses; fails when a target is missed.
eval: $(VENV)/.installed-base
	$(VENV)/bin/python scripts/evaluate.py

bench: $(VENV)/.installed-test
	env -u DATABASE_URL $(VENV)/bin/python scripts/bench.py --write $(BENCH_ARGS)

# The archive at scale (issue #22): for 1,000, 10,000 and 100,000 claims a fresh PostgreSQL
# database filled by scripts/archive.py (the 100,000-claim archive in about 2 minutes), every
# page and list of the issue measured, writes compared, purgereaderinput timed, then the load
# test on the largest archive; writes its section of docs/performance.md (about 20 minutes).
# BENCH_SCALE_ARGS="--sizes 1000 10000 --no-load" etc. are passed on.
bench-scale: $(VENV)/.installed-test
	$(PY) scripts/bench_scale.py --write $(BENCH_SCALE_ARGS)

# Load test of the production stack on loopback: a fresh PostgreSQL database, a dedicated
# Redis database, gunicorn and locust (scripts/loadtest.py; about 3 minutes). Prints its
# Markdown section; LOADTEST_ARGS="--duration 30 --keep" etc. are passed on.
loadtest: $(VENV)/.installed-test
	$(PY) scripts/loadtest.py $(LOADTEST_ARGS)

check: $(VENV)/.installed-base
	$(DEV_ENV) $(PY) manage.py check

messages: $(VENV)/.installed-base
	$(DEV_ENV) $(PY) manage.py makemessages -l de -l en --no-obsolete --ignore=.venv --ignore=staticfiles
	$(DEV_ENV) $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .hypothesis
