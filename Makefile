# Two commands a newcomer needs: `make demo` and `make test`. Both set themselves up.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Exact versions CI tests with (the model tests walk botocore's service model, so a
# botocore bump is a deliberate change: `make constraints`, then read the test results).
# They were frozen on Python 3.11; several dev tools have dropped 3.10, so an older
# interpreter resolves the newest versions that support it instead.
CONSTRAINTS := requirements/constraints.txt
PIN = $(shell $(BIN)/python -c 'import sys; print("-c $(CONSTRAINTS)" if sys.version_info >= (3, 11) else "")')
SOURCES := inspector_kit tests scripts benchmarks
# pytest workers (pytest-xdist): one per core of this 2-core machine; 0 runs in-process.
PYTEST_WORKERS ?= 2

.PHONY: demo test lint typecheck unit docs sample-estate constraints clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' \
		|| { echo "inspector_kit needs Python 3.10 or newer (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# The demo and the README's notebook plan on a Japanese business calendar (extra holidays);
# the command's tables and progress bar use rich (extra cli).
$(VENV)/.runtime-installed: $(BIN)/python pyproject.toml $(CONSTRAINTS)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check $(PIN) -e '.[cli,holidays]'
	@touch $@

$(VENV)/.dev-installed: $(BIN)/python pyproject.toml $(CONSTRAINTS)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check $(PIN) -e '.[dev]'
	@touch $@ $(VENV)/.runtime-installed

demo: $(VENV)/.runtime-installed
	$(BIN)/inspector-kit demo

test: lint typecheck unit docs

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check $(SOURCES)
	$(BIN)/ruff format --check $(SOURCES)

typecheck: $(VENV)/.dev-installed
	$(BIN)/mypy --strict inspector_kit

unit: $(VENV)/.dev-installed
	$(BIN)/python scripts/make_sample_estate.py --check
	$(BIN)/python scripts/make_decoders.py --check
	$(BIN)/pytest -n $(PYTEST_WORKERS)

docs: $(VENV)/.dev-installed
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir $(VENV)/site

sample-estate: $(VENV)/.runtime-installed
	$(BIN)/python scripts/make_sample_estate.py

constraints: $(VENV)/.dev-installed
	$(BIN)/python -m pip freeze --exclude-editable --disable-pip-version-check > $(CONSTRAINTS)

clean:
	rm -rf $(VENV) build dist .mypy_cache .pytest_cache .ruff_cache .hypothesis
