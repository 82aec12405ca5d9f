# Two commands do all the set-up on a fresh machine:  `make run`  and  `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
VAR := var
export SCORECARD_DB ?= sqlite:///$(CURDIR)/$(VAR)/scorecard.db
ADDRESS ?= 127.0.0.1
PORT ?= 8501

.PHONY: run test test-fast bench system-deps demo-data demo-store clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Installs pinned versions (constraints.txt) so users and CI get the same environment.
# Then compiles every numba kernel into numba's cache, so the first command is fast. The cache is
# numba's default (__pycache__ beside the kernels' sources, or NUMBA_CACHE_DIR if your shell sets
# it): the one a plain `.venv/bin/scorecard ...` finds. Setting it here only would leave that cold.
# The warm-up reruns whenever a source file changes (a changed kernel invalidates its cache entry).
$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	touch $@

$(VENV)/.warm: $(VENV)/.installed $(shell find scorecard -name '*.py')
	$(BIN)/python -m scorecard.warmup
	touch $@

$(VENV)/.installed-bench: $(VENV)/.installed
	$(BIN)/pip install -q -c constraints.txt -e '.[dev,bench]'
	touch $@

# Debian packages the tests need (none are installed by hand): see scripts/system-deps.sh.
system-deps:
	bash scripts/system-deps.sh

demo-data: $(VENV)/.warm
	mkdir -p $(VAR)
	$(BIN)/python data/generate.py --rows 60000 --seed 7 --out $(VAR)/synthetic_demo.parquet --if-missing

# A monitor with 24 monthly periods and a drift event, stored once (skipped if it exists).
demo-store: $(VENV)/.warm
	mkdir -p $(VAR)
	$(BIN)/python -m scorecard.scheduling.demo --folder $(VAR)/demo

run: demo-data demo-store
	$(BIN)/scorecard dashboard --address $(ADDRESS) --port $(PORT)

test: $(VENV)/.warm system-deps
	mkdir -p $(VAR)
	$(BIN)/python -m pytest

test-fast: $(VENV)/.warm
	$(BIN)/python -m pytest -m "not slow and not e2e"

bench: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(VAR) .pytest_cache .hypothesis
