# Every target creates .venv (python3 -m venv) and installs what it needs when missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip

.PHONY: demo demo-live-rehearsal lab test test-live test-live-rehearsal bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.demo: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e ".[data,notebooks,spark]"
	touch $@

$(VENV)/.test: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e ".[data,notebooks,dev,spark]"
	touch $@ $(VENV)/.demo

$(VENV)/.lab: $(VENV)/.demo
	$(PIP) install --quiet -e ".[data,notebooks,lab]"
	touch $@

## demo: start the emulator, run every notebook headless, write build/notebooks/, print a table
demo: $(VENV)/.demo
	$(BIN)/cio notebooks run --out build/notebooks

## demo-live-rehearsal: every notebook's live branch against the production-like emulator (also part of make test)
demo-live-rehearsal: $(VENV)/.demo
	$(BIN)/cio notebooks run --rehearse-live --out build/notebooks-live

## lab: the emulator plus JupyterLab on notebooks/
lab: $(VENV)/.lab
	$(BIN)/cio notebooks lab

## test: lint, type check, generated files up to date, and the whole test suite
test: $(VENV)/.test
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/python scripts/generate.py --check
	$(BIN)/pytest -q -p no:cacheprovider

## test-live: the live suite against YOUR workspace (CIO_LIVE=1 and keys; README "Before you point it at your workspace")
test-live: $(VENV)/.test
	$(BIN)/pytest -q -p no:randomly tests/live

## test-live-rehearsal: the live suite, unchanged, against a local TLS emulator (also part of make test)
test-live-rehearsal: $(VENV)/.test
	$(BIN)/pytest -q -p no:randomly tests/test_live_rehearsal.py

## bench: the benchmarks (on demand; results under benchmarks/results/)
bench: $(VENV)/.test
	$(BIN)/python -m benchmarks

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
