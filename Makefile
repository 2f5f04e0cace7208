# The two commands a newcomer needs: `make crawl` and `make test`.
# Both create ./.venv and install the project from pyproject.toml first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup crawl demo test lint bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $(STAMP)

## Crawl the live SNHR sites politely into ./archive (SNHR_ARCHIVE_DIR to change).
crawl: setup
	$(BIN)/snhr-crawler crawl

## No network? Crawl the offline replica into ./demo-archive and show what was archived.
demo: setup
	$(BIN)/python -m snhr_crawler.demo --archive demo-archive

## Run the whole test suite (what CI runs).
test: setup
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check snhr_crawler tests benchmarks
	$(BIN)/mypy

## The benchmark (minutes; not part of `make test`).
bench: setup
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) build *.egg-info
