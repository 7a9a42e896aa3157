# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run lint test bench bench-targets clean

$(STAMP): pyproject.toml requirements/constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		--constraint requirements/constraints.txt --editable '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/lutnick show
	@echo
	$(BIN)/lutnick cite

lint: $(STAMP)
	$(BIN)/ruff check src
	$(BIN)/ruff format --check src
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/cold_cite.py

# Every speed target in one run, as one table; ARGS=--quick for a run of a few minutes.
bench-targets: $(STAMP)
	$(BIN)/python bench/targets.py $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
