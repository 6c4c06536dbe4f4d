# Everyday commands for Vägval. `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
export VAGVAL_DATA_DIR ?= $(abspath ../shared/data)

.PHONY: help install demo demo-data run test test-fast bench lint format typecheck up down migrate clean messages

help:  ## List the commands
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# setup.py and the .pyx files: the compiled parts (vagval.native) are rebuilt when they change.
$(VENV)/.installed: pyproject.toml setup.py $(wildcard platform/vagval/native/*.pyx platform/vagval/native/*.h)
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip >/dev/null
	$(PIP) install -e ".[dev]"
	touch $@

install: $(VENV)/.installed  ## Create the virtualenv and install Vägval with its dev tools

migrate: install
	$(MANAGE) migrate --noinput

demo-data: migrate  ## Load the taxonomy, job ads and demo accounts (idempotent)
	$(MANAGE) load_taxonomy
	$(MANAGE) load_demo

demo: demo-data  ## Set up everything and run the site on http://127.0.0.1:8000
	$(MANAGE) runserver $(HOST):$(PORT)

run: install  ## Run the site without reloading data
	$(MANAGE) runserver $(HOST):$(PORT)

test: install  ## Run the whole test suite
	$(PY) -m pytest -n auto --dist loadfile

test-fast: install  ## Run the suite without browser tests
	$(PY) -m pytest -n auto --dist loadfile -m "not e2e"

bench: install  ## Run the benchmarks: one JSON object per benchmark per line
	$(PY) -m tests.bench

lint: install  ## ruff (lint and format check) and mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy platform journey advisers employers cms

format: install  ## Fix formatting and safe lint findings
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: install  ## Compile translations
	$(MANAGE) compilemessages --ignore=.venv

up:  ## Run the production setup in Docker: web, worker, beat, PostgreSQL, Redis, mail catcher
	docker compose up --build

down:
	docker compose down

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
