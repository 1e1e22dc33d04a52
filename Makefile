# sessions-tui — `make help` lists the targets.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: help install bytecode run test test-slow lint bench screenshots readme-keys clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 14

RUNTIME := $(VENV)/.runtime
# uv when it is on PATH (seconds), else venv + pip; either way with the Python of $(PY).
UV := $(shell command -v uv 2>/dev/null)
ifdef UV
PIP := $(UV) pip install --quiet --python $(BIN)/python
MKVENV := $(UV) venv --quiet --python $(PY) $(VENV)
else
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check
MKVENV := $(PY) -m venv $(VENV)
endif

# One line, naming what was found, instead of a failure deep inside pip.
$(VENV)/.python:
	@$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "sessions-tui needs Python 3.11 or newer; '$(PY)' is" \
	       "$$(command -v $(PY) >/dev/null && $(PY) -V 2>&1 || echo 'not found')." \
	       "Name another: make PY=python3.12 $(MAKECMDGOALS)"; exit 1; }
	$(MKVENV)
	@touch $@

# The app alone (what `make run` needs); the dev tools come with the targets that use them.
$(RUNTIME): pyproject.toml | $(VENV)/.python
	$(PIP) -e .
	@touch $@

$(STAMP): pyproject.toml $(RUNTIME)
	$(PIP) -e '.[dev]'
	@touch $@

install: $(STAMP)  ## create .venv with the app and the dev tools

# An editable install leaves our modules to be compiled on first import, and with
# PYTHONDONTWRITEBYTECODE set (as on our CI machines) on every start: 20 ms of a warm
# start. A pip install compiles them; so do we, before running or measuring the app.
bytecode: $(RUNTIME)
	@$(BIN)/python -m compileall -q src > /dev/null

run: bytecode  ## run the app (a demo history when no sessions exist)
	$(BIN)/sessions-tui $(ARGS)

test: $(STAMP)  ## run the test suite (set SESSIONS_TUI_CORPUS for conformance tests)
	$(BIN)/pytest -q

test-slow: $(STAMP)  ## also the slow tests (multi-GB files)
	$(BIN)/pytest -q -m slow

lint: $(STAMP)  ## ruff, mypy (strict) and the layers (import-linter contracts in pyproject.toml)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: bytecode $(STAMP)  ## benchmark on a generated ≥1 GB history; prints a table, writes bench/out/bench.json
	-$(BIN)/pip install -q --only-binary :all: ripgrep  # ripgrep, to compare search with
	-command -v npm >/dev/null && npm install -s --prefix bench/out/ccusage ccusage@20.0.24  # the catalog's peer
	$(BIN)/python bench/bench.py $(BENCH_ARGS)

screenshots: bytecode $(STAMP)  ## write screenshots/*.svg from the real app on the demo history
	$(BIN)/python screenshots/make_screenshots.py

readme-keys: $(STAMP)  ## write the README's key table from tui/keys.py (a test checks they agree)
	$(BIN)/python -m sessions_tui.tui.keys README.md

clean:  ## remove the venv and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache bench/out
	find src tests bench -name __pycache__ -type d -prune -exec rm -rf {} +
