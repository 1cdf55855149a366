# thidua — the four commands. `make run` and `make test` work on a fresh clone of a fresh
# Debian machine with Python >= 3.11 and Node 20.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
SYSTEM_PACKAGES := chromium fonts-croscore fonts-liberation2 gettext poppler-utils \
                   libreoffice-writer-nogui postgresql-client
export DJANGO_SETTINGS_MODULE := thidua.settings

.PHONY: run test test-ops lint bench bench-scale bench-load bench-reports install install-test assets system-packages messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the project's dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

install: $(VENV)/.installed assets messages
install-test: $(VENV)/.installed-test assets messages system-packages
assets: node_modules/.package-lock.json

# Compiled message catalogues are build output (git-ignored), made from the .po sources.
messages: $(VENV)/.installed
	@if command -v msgfmt >/dev/null; then \
	  $(BIN)/thidua compilemessages --ignore='.venv/*' --ignore='node_modules/*' -v 0; \
	else \
	  echo "msgfmt (gettext) is missing: the English catalogue is not compiled." \
	       "Install it with: sudo apt-get install gettext"; \
	fi

# Browser tests and document checks need Chromium, LibreOffice (the DOCX drafts are compared
# with the PDFs: tests/documents/test_libreoffice.py) and fonts with every Vietnamese glyph;
# the backup tests on PostgreSQL need its client tools (pg_dump, pg_restore).
system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Missing system packages:$$missing"; \
	    echo "Install them with: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

run: install
	$(BIN)/thidua migrate --noinput -v 0
	$(BIN)/thidua seed-demo --if-empty
	@echo "thidua: http://$(HOST):$(PORT)/  (tài khoản mẫu in ở trên; quản trị: quantri)"
	@# The task worker (batch certificates) runs beside the server and stops when it does.
	@$(BIN)/thidua worker --no-reload -v 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(BIN)/thidua runserver $(HOST):$(PORT) --insecure

test: install-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The production-way tests (gunicorn, `thidua worker`, moto's S3 server as subprocesses; marked
# `ops`, left out of `make test`) on PostgreSQL; .ci/run calls this with its own database.
OPS_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/thidua_ops
test-ops: install-test
	DATABASE_URL="$${DATABASE_URL:-$(OPS_DATABASE_URL)}" $(BIN)/python -m pytest tests/ops -m ops $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check thidua tests bench
	$(BIN)/thidua makemigrations --check --dry-run -v 1
	$(BIN)/thidua check --deploy --fail-level ERROR

bench: install-test
	$(BIN)/python -m bench

# Pages at two sizes of data (10 000 and 100 000 rows; SIZES="100000 1000000" for the issue's),
# on the database DATABASE_URL names (PostgreSQL), in a test_… database of its own, dropped after.
SIZES ?= 10000 100000
bench-scale: install-test
	$(BIN)/python -u -m bench.scale --sizes $(SIZES)

# Deadline-day load (issue 12): 20 people for 60 s per phase on gunicorn (deploy/gunicorn.conf.py,
# 4 workers) and `thidua worker`, ROWS rows, in a test_… PostgreSQL database of its own beside
# DATABASE_URL's (default thidua_load), dropped after; LOAD_ARGS e.g. "--threads 1 4".
ROWS ?= 100000
bench-load: install-test
	DATABASE_URL="$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/thidua_load}" \
	  $(BIN)/python -u -m bench.load --rows $(ROWS) $(LOAD_ARGS)

# Each statistic against its raw SQL at country scale (SIZE nominees; issue 16), and the
# dashboards' query counts at two sizes, on DATABASE_URL's database (SQLite without it), in a
# test_… database of its own, dropped after.
SIZE ?= 500000
bench-reports: install-test
	$(BIN)/python -u -m bench.reports --scale $(SIZE)

clean:
	rm -rf $(VENV) node_modules var .pytest_cache
