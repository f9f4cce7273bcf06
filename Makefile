# Two commands do everything on a fresh machine:  make report  and  make test.
# Make knows the order; the Python package (python -m demining_sdg) holds the logic.
SHELL := /bin/bash
PYTHON_BOOT ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
CONSTRAINTS := requirements/constraints.txt
PARAMS ?= params/report.yaml
PYTEST_ARGS ?=
BENCH_ARGS ?=
# Python keeps compiled modules (__pycache__, git-ignored) even where the shell says not to: without them every
# process, test worker and notebook kernel compiles the package and the tests again (seconds a test run)
unexport PYTHONDONTWRITEBYTECODE
# make test runs every test; make test-fast leaves out the tiers named here (markers in pyproject.toml)
FAST_TIER := not render and not browser and not slow and not subprocess

.DEFAULT_GOAL := help

## help: list the targets
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed 's/^## /  make /'

$(PY):
	$(PYTHON_BOOT) -m venv $(VENV)

$(VENV)/.installed-report: $(PY) pyproject.toml $(CONSTRAINTS)
	$(PY) -m pip install --quiet -c $(CONSTRAINTS) -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed-report
	$(PY) -m pip install --quiet -c $(CONSTRAINTS) -e '.[test]'
	touch $@

## install: create .venv and install the project (done by report and test as needed)
install: $(VENV)/.installed-report

## validate: check the input tables in data/ against data/datapackage.json
validate: $(VENV)/.installed-report
	$(PY) -m demining_sdg validate

## report: validate, execute the notebooks and publish report/index.html, figures/, the deck and report.pdf
report: $(VENV)/.installed-report
	$(PY) -m demining_sdg render --params $(PARAMS)
	bash tools/ensure-chromium.sh
	$(PY) -m demining_sdg pdf

## test: install test tools and headless Chromium if missing, then lint and run the whole test suite
test: $(VENV)/.installed-test lint
	bash tools/ensure-chromium.sh
	$(PY) -m pytest -n 2 --dist loadfile --hypothesis-profile=full $(PYTEST_ARGS)

## test-fast: the fast tier (at most a minute on 2 cores): no renders, browsers, large inputs or child processes, fewer property examples (the whole suite is make test)
test-fast: $(VENV)/.installed-test
	$(PY) -m pytest -n 2 --dist loadfile -q -m "$(FAST_TIER)" --hypothesis-profile=fast $(PYTEST_ARGS)

## lint: ruff lint and format check, as configured in pyproject.toml (make format fixes both)
lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks

## snapshots: regenerate the test snapshots of values that follow the data (after adding data; review the diff)
snapshots: $(VENV)/.installed-test
	$(PY) -m pytest -q -m "not render and not browser" --snapshot-update

## notebooks: sync each chapter's .py (the file to edit) with its .ipynb (what papermill runs)
notebooks: $(VENV)/.installed-report
	$(VENV)/bin/jupytext --sync notebooks/[0-9][0-9]_*.py

## format: apply ruff's fixes and formatting
format: $(VENV)/.installed-test
	$(VENV)/bin/ruff check --fix src tests benchmarks
	$(VENV)/bin/ruff format src tests benchmarks

## bench: the speed table: plain run, naive pipeline, cold/unchanged/one-table renders, 6-set batch vs serial, ratios against the targets (minutes; BENCH_ARGS="--repeat 1")
bench: $(VENV)/.installed-report
	$(PY) benchmarks/bench_render.py $(BENCH_ARGS)

## docs: regenerate data/README.md from data/datapackage.json
docs: $(VENV)/.installed-report
	$(PY) -m demining_sdg data-docs

## fresh: fail if the published report is older than its data, notebooks or code
fresh: $(VENV)/.installed-report
	$(PY) -m demining_sdg check-fresh

## lock: re-resolve the newest versions into requirements/constraints.txt (use the oldest Python 3.11 you support: make lock PYTHON_BOOT=python3.11)
lock:
	rm -rf /tmp/demining-lock && $(PYTHON_BOOT) -m venv /tmp/demining-lock
	/tmp/demining-lock/bin/pip install --quiet -e '.[test]'
	(echo "# Exact versions of every package the project installs (make uses this as pip constraints)."; \
	 echo "# Regenerate: make lock"; /tmp/demining-lock/bin/pip freeze --exclude-editable | grep -viE '^(-e|demining)') > $(CONSTRAINTS)

## clean: remove the virtual environment and executed notebooks (keeps the published report)
clean:
	rm -rf $(VENV) report/executed report/.staging-*

.PHONY: help install validate report test test-fast lint format snapshots notebooks bench docs fresh lock clean
