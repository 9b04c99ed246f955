# newsflow: `make demo` and `make test` work on a fresh machine with Python 3.11 and nothing else.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Airflow state lives inside the repo (git-ignored) and only sees this project's DAGs and plugins.
export AIRFLOW_HOME := $(CURDIR)/.airflow
export AIRFLOW__CORE__DAGS_FOLDER := $(CURDIR)/dags
export AIRFLOW__CORE__PLUGINS_FOLDER := $(CURDIR)/plugins
export AIRFLOW__CORE__LOAD_EXAMPLES := False
export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION := True
export AIRFLOW__API__EXPOSE_CONFIG := False
export NO_PROXY := *
AIRFLOW_PORT ?= 8080

.PHONY: help venv demo test test-fast lint format bench airflow airflow-init lock clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

venv: $(STAMP) ## create .venv and install the pinned dependencies

airflow-init: venv
	@mkdir -p $(AIRFLOW_HOME) data
	@$(BIN)/airflow db migrate > $(AIRFLOW_HOME)/db-migrate.log 2>&1 || (cat $(AIRFLOW_HOME)/db-migrate.log; exit 1)
	@$(BIN)/airflow pools set newsflow_duckdb 1 "newsflow: the single DuckDB writer" > /dev/null

demo: airflow-init ## run the real ingest DAG through Airflow on seeds/ into data/news.duckdb
	$(BIN)/airflow dags test news_ingest > $(AIRFLOW_HOME)/demo-run.log 2>&1 || (tail -n 80 $(AIRFLOW_HOME)/demo-run.log; exit 1)
	@grep -E "state=|DagRun Finished|Marking run" $(AIRFLOW_HOME)/demo-run.log | tail -n 3 || true
	$(BIN)/newsflow summary

test: venv ## the whole suite, slow end-to-end tests included
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

test-fast: venv ## the suite without the slow end-to-end tests
	$(BIN)/python -m pytest -m "not slow"

lint: venv ## ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: venv ## extraction F1/speed, fetch, enrichment throughput, quote scores, load cost (data/bench/)
	$(BIN)/python -m bench.bench_extract
	$(BIN)/python -m bench.bench_fetch
	$(BIN)/python -m bench.bench_enrich
	$(BIN)/python -m bench.bench_quotes
	$(BIN)/python -m bench.bench_warehouse

airflow: airflow-init ## start `airflow standalone` on this project's dags/ and plugins/
	@echo "Airflow UI: http://localhost:$(AIRFLOW_PORT)  (user: admin)"
	@echo "Admin password: $(AIRFLOW_HOME)/simple_auth_manager_passwords.json.generated"
	PATH="$(CURDIR)/$(BIN):$$PATH" AIRFLOW__API__PORT=$(AIRFLOW_PORT) $(BIN)/airflow standalone

lock: ## re-resolve and pin every dependency into requirements.lock
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^newsflow' > requirements.lock

clean: ## remove generated data (the DuckDB file, staging, archive) and Airflow state
	rm -rf data/news*.duckdb* data/fetch_state.sqlite* data/staging data/archive data/gx_docs data/gx_validations $(AIRFLOW_HOME)
