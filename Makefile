# Every target creates .venv (python3 -m venv) and installs what it needs when missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip

.PHONY: demo lab test bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.demo: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e ".[data,notebooks]"
	touch $@

$(VENV)/.test: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e ".[data,notebooks,dev]"
	touch $@ $(VENV)/.demo

$(VENV)/.lab: $(VENV)/.demo
	$(PIP) install --quiet -e ".[data,notebooks,lab]"
	touch $@

## demo: start the emulator, run every notebook headless, write build/notebooks/, print a table
demo: $(VENV)/.demo
	$(BIN)/cio notebooks run --out build/notebooks

## lab: the emulator plus JupyterLab on notebooks/
lab: $(VENV)/.lab
	$(BIN)/cio notebooks lab

## test: lint, type check, generated files up to date, and the whole test suite
test: $(VENV)/.test
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/python scripts/generate.py --check
	$(BIN)/pytest -q -p no:cacheprovider

## bench: the benchmarks (on demand; results under benchmarks/results/)
bench: $(VENV)/.test
	$(BIN)/python -m benchmarks

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
