# Two commands on a fresh clone: `make run` and `make test`. Each installs what it needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
STAMP_PG := $(VENV)/.installed-postgres
STAMP_SEM := $(VENV)/.installed-semantic
HTMX := app/static/vendor/htmx.min.js
HOST ?= 127.0.0.1
PORT ?= 5000
# The public pages' address follows HOST and PORT unless CLAIMDESK_PUBLIC_URL says otherwise.
PUBLIC_URL ?= $(or $(CLAIMDESK_PUBLIC_URL),http://$(HOST):$(PORT))

.PHONY: run test test-postgres install install-postgres install-semantic assets demo clean

run: install assets
	CLAIMDESK_PUBLIC_URL=$(PUBLIC_URL) $(BIN)/claimdesk demo --first-run
	CLAIMDESK_PUBLIC_URL=$(PUBLIC_URL) $(BIN)/claimdesk serve --host $(HOST) --port $(PORT)

# The suite runs in TEST_WORKERS processes (pytest-xdist): much of it waits on servers, workers and the
# browser, so two processes keep two cores busy. TEST_WORKERS=0 runs it in this one process.
TEST_WORKERS ?= 2
# The tests install the semantic extra too, so its own tests run (the rest of the suite keeps the default
# models: tests/conftest.py sets CLAIMDESK_SEMANTIC=off).
test: install install-semantic assets
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) $(PYTEST_ARGS)

# The same suite on PostgreSQL: a throwaway cluster started by the tests (needs PostgreSQL's server
# programs installed, e.g. Debian's postgresql; as root the cluster runs as nobody), one per test process.
test-postgres: install-postgres install-semantic assets
	CLAIMDESK_TEST_DATABASE=postgres $(BIN)/python -m pytest -q -n $(TEST_WORKERS) $(PYTEST_ARGS)

install: $(STAMP)

install-postgres: $(STAMP_PG)

install-semantic: $(STAMP_SEM)

$(STAMP_SEM): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,semantic]'
	touch $(STAMP_SEM)

$(STAMP_PG): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,postgres]'
	touch $(STAMP_PG)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

assets: $(HTMX)

$(HTMX): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	mkdir -p app/static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js $(HTMX)

demo: install assets
	$(BIN)/claimdesk demo

clean:
	rm -rf $(VENV) node_modules app/static/vendor
