# Two entry points for a fresh machine: `make demo` and `make test`. Both are idempotent.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint services bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/crossdock demo

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

services:
	bash scripts/ensure-services.sh

test: install services lint
	$(BIN)/pytest

bench: install services
	$(BIN)/python -m benchmarks.intake
	$(BIN)/python -m benchmarks.queue
	$(BIN)/python -m benchmarks.odoo_rpc
	$(BIN)/python -m benchmarks.observe_scrape
	$(BIN)/python -m benchmarks.tracking --rate 30 --duration 60 --shipments 300
	$(BIN)/python -m benchmarks.fulfillment --orders 200
	$(BIN)/python -m benchmarks.file_wms --orders 300
	$(BIN)/python -m benchmarks.file_pickup --files 300
	$(BIN)/python -m benchmarks.audit
