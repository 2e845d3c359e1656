# Styra's front door. `make demo` and `make test` work on a fresh machine after cloning.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo test lint format bench install system-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

# Debian packages the tests need: Chromium for the browser tests, poppler for PDF checks.
system-deps:
	@sh scripts/system-deps.sh

# axe-core (npm) for the accessibility checks in Chromium.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

demo: install
	$(BIN)/styra demo

test: install system-deps node_modules/.package-lock.json
	$(BIN)/pytest

# ruff, and the layer contract (.importlinter: each app imports only the apps below it).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Import, pages and load side by side (bench/all.py; QUICK=1 for a few minutes' run).
# PostgreSQL on 127.0.0.1 (BENCH_DATABASE_URL to change). The other benches run alone:
# bench/report_build.py, bench/check_report.py.
bench: install
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python bench/all.py $(if $(QUICK),--quick,)

clean:
	rm -rf $(VENV) var/*.sqlite3*
