# districtwiki — one command per task. `make run` serves the wiki; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
TEST_INSTALLED := $(VENV)/.installed-test
BENCH_INSTALLED := $(VENV)/.installed-bench

.PHONY: run test test-sqlite test-postgres test-browser lint format bench bench-full bench-peers bench-profile bench-pathological bench-chat bench-serving bench-import wrk chromium nginx pdf-libs clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(INSTALLED): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	@touch $@

$(TEST_INSTALLED): pyproject.toml $(INSTALLED)
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

$(BENCH_INSTALLED): pyproject.toml $(INSTALLED)
	$(PY) -m pip install --quiet -e '.[bench]'
	@touch $@

run: $(INSTALLED) pdf-libs
	$(VENV)/bin/districtwiki serve

# The advocacy briefs' PDFs are drawn by WeasyPrint, which needs Pango (with HarfBuzz's subsetter) and a
# font from Debian (WeasyPrint's "First steps": the packages for installing its wheels with pip).
PDF_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation
pdf-libs:
	@missing=$$(for package in $(PDF_LIBS); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q 'ok installed' || echo $$package; done); \
	[ -z "$$missing" ] || { SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; }

# The browser tests drive Debian's Chromium; install it when it is missing.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

# The deploy recipe test runs the shipped nginx site file in front of two app processes (docs/deploy.md).
nginx:
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nginx; }

test: $(TEST_INSTALLED) chromium nginx pdf-libs
	$(VENV)/bin/districtwiki content check
	$(MAKE) test-sqlite
	@if [ -n "$$DATABASE_URL" ]; then $(MAKE) test-postgres; else echo "DATABASE_URL not set: skipped the PostgreSQL pass"; fi

# One pytest worker per core (pytest-xdist); a test file stays on one worker, so the module-wide live servers
# and browsers of a file start once. TEST_WORKERS=0 runs the suite in this process alone. The 15 slowest
# steps are listed at the end, to see which module to split or speed up when the suite grows slow.
TEST_WORKERS ?= auto
PYTEST := $(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile --durations=15

test-sqlite: $(TEST_INSTALLED) pdf-libs
	env -u DATABASE_URL -u REDIS_URL $(PYTEST)

test-postgres: $(TEST_INSTALLED) pdf-libs
	$(PYTEST)

# Only the browser journeys, accessibility and XSS checks (Chromium); `make test` already runs them.
test-browser: $(TEST_INSTALLED) chromium
	env -u DATABASE_URL -u REDIS_URL $(PYTEST) -m browser

lint: $(TEST_INSTALLED)
	$(VENV)/bin/ruff check districtwiki bench conftest.py
	$(VENV)/bin/ruff format --check districtwiki bench conftest.py

format: $(TEST_INSTALLED)
	$(VENV)/bin/ruff format districtwiki bench conftest.py
	$(VENV)/bin/ruff check --fix districtwiki bench conftest.py

# Benchmarks (bench/README.md). BENCH_SIZES=200 make bench is a quick run; BENCH_DURATION=10s runs longer.
BENCH_SIZES ?= 1000,10000
BENCH_PEERS ?= otterwiki,djangowiki
comma := ,

wrk:
	@command -v wrk >/dev/null 2>&1 || { SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk; }

bench: $(BENCH_INSTALLED) wrk nginx
	$(PY) -m bench.run --sizes $(BENCH_SIZES) --peers $(BENCH_PEERS)

bench-full: $(BENCH_INSTALLED) wrk nginx
	$(PY) -m bench.run --sizes $(BENCH_SIZES),100000 --peers $(BENCH_PEERS)

bench-peers: $(BENCH_INSTALLED) wrk nginx
	$(PY) -m bench.run --sizes $(BENCH_SIZES) --peers $(BENCH_PEERS),dokuwiki,mediawiki

# pyinstrument profiles of the hot paths, in one process: bench/results/profile-<pages>.md
bench-profile: $(BENCH_INSTALLED)
	$(PY) -m bench.profile --pages $(firstword $(subst $(comma), ,$(BENCH_SIZES)))

# CPU time of every step on pathological texts at the page limit: bench/results/pathological.md
bench-pathological: $(BENCH_INSTALLED)
	$(PY) -m bench.pathological

# The live rooms: 300 members in one room, 10 sending 2 messages/s for 60 s (embedded; and on Redis, two
# servers, when REDIS_URL is set): bench/results/chat-latest.md
bench-chat: $(BENCH_INSTALLED)
	$(PY) -m bench.chat

# Page views with and without the live rooms' ASGI process (and on one port through a2wsgi, when it is
# installed): bench/results/serving-latest.md
bench-serving: $(BENCH_INSTALLED) wrk
	$(PY) -m bench.serving

# MediaWiki import speed and memory: generated dumps of 10,000 and 2,500 pages with history, on SQLite:
# bench/results/mwimport.md
bench-import: $(BENCH_INSTALLED)
	$(PY) -m bench.mwimport --pages 10000,2500

clean:
	rm -rf $(VENV) build *.egg-info
