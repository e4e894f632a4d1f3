# Health Data Guides. `make run` serves the app on http://127.0.0.1:5000; `make test` runs the checks.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export ELEARN_ENV ?= development

.PHONY: run test lint format assets install db content demo clean

$(BIN)/elearn: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/elearn

install: $(BIN)/elearn

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

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy elearn
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: install assets lint
	$(BIN)/pytest -q -rs $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules elearn/static/app.css elearn/static/nhsuk-frontend.min.js elearn/static/assets
