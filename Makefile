# tiaojie — see README.md. Every target installs what it needs first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
export TIAOJIE_DATABASE_URL ?= sqlite:///var/tiaojie.sqlite

.PHONY: install run test bench lint clean screenshots

WEB_VENDOR := api/web/static/vendor

install: $(VENV)/.installed $(WEB_VENDOR)/.built

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check -e ".[dev]"
	touch $@

# The web UI's browser bundles (bpmn-js, bpmnlint, ECharts) from the committed npm lockfile.
$(WEB_VENDOR)/.built: frontend/package-lock.json frontend/build.mjs $(wildcard frontend/src/*.js)
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	cd frontend && node build.mjs
	touch $@

run: install
	scripts/system-deps
	$(BIN)/tiaojie demo --bpmn-dir bpmn
	$(BIN)/tiaojie serve --host $(HOST) --port $(PORT)

test: install
	scripts/system-deps --required --browser
	$(BIN)/python -m pytest -n 2 --dist loadfile -q $(PYTEST_ARGS)

# Screenshots of the main pages for the README, taken by the browser tests.
screenshots: install
	scripts/system-deps --required --browser
	TIAOJIE_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -q -p no:xdist tests/browser

bench: install
	$(BIN)/python -m tests.bench $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

clean:
	rm -rf var bench-results.json .pytest_cache $(WEB_VENDOR) frontend/node_modules
