# Two commands on a fresh clone: `make run` and `make test`. Each installs what it needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HTMX := app/static/vendor/htmx.min.js
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install assets demo clean

run: install assets
	$(BIN)/claimdesk demo --first-run
	$(BIN)/claimdesk serve --host $(HOST) --port $(PORT)

test: install assets
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

install: $(STAMP)

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
