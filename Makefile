# Health Data Guides. `make run` serves the app on http://127.0.0.1:5000; `make test` runs the checks.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export ELEARN_ENV ?= development
# Learning records name learners and activities from this address: the one `make run` serves on.
export ELEARN_BASE_URL ?= http://127.0.0.1:$(PORT)

# Stamps: the runtime lock (what `make run` needs) and the dev lock (test and lint tools) are
# installed separately, each again when its lock file or pyproject.toml changes.
RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev
LOCK_WITH ?= pip-compile
LOCK_FLAGS := --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-find-links --no-emit-index-url --no-emit-trusted-host

.PHONY: run test lint format assets install install-dev lock db content demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(RUNTIME_STAMP): requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(DEV_STAMP): requirements-dev.txt $(RUNTIME_STAMP)
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(RUNTIME_STAMP)

install-dev: $(DEV_STAMP)

# Re-resolve both lock files (needs pip-tools: LOCK_WITH=/path/to/pip-compile; add --upgrade
# to move to the newest releases). The dev lock is resolved first and the runtime lock is
# constrained by it, so every runtime package has the same version in both.
lock:
	CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_WITH) $(LOCK_FLAGS) --extra dev \
	  --output-file requirements-dev.txt pyproject.toml
	CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_WITH) $(LOCK_FLAGS) \
	  --constraint requirements-dev.txt --output-file requirements.txt pyproject.toml

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

elearn/static/app.css: node_modules/.package-lock.json assets/app.scss
	mkdir -p elearn/static
	npm run --silent build
	rm -rf elearn/static/assets
	cp -r node_modules/nhsuk-frontend/dist/nhsuk/assets elearn/static/assets

assets: elearn/static/app.css

db: install
	$(BIN)/elearn db upgrade

content: db
	$(BIN)/elearn content import

demo: db
	$(BIN)/elearn demo

run: install assets content demo
	@echo "Serving Health Data Guides on http://127.0.0.1:$(PORT) (stop with Ctrl+C)"
	@worker=""; \
	if [ -n "$$ELEARN_LRS_ENDPOINT" ]; then \
	  $(BIN)/elearn xapi worker & worker=$$!; \
	  echo "Sending learning records to $$ELEARN_LRS_ENDPOINT (xapi worker, pid $$worker)"; \
	else \
	  echo "No ELEARN_LRS_ENDPOINT: learning records stay in the local outbox (elearn xapi export)"; \
	fi; \
	trap 'if [ -n "$$worker" ]; then kill $$worker 2>/dev/null; wait $$worker 2>/dev/null; fi' EXIT INT TERM; \
	$(BIN)/gunicorn --bind 127.0.0.1:$(PORT) --workers 2 --threads 4 --access-logfile - 'elearn:create_app()'

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy elearn
	$(BIN)/lint-imports

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: install-dev assets lint
	$(BIN)/pytest -q -rs $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules elearn/static/app.css elearn/static/nhsuk-frontend.min.js elearn/static/assets
