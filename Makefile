# The two commands a newcomer needs: `make crawl` and `make test`.
# Both create ./.venv and install the project from pyproject.toml first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup crawl demo test test-fast test-clock lint bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[replica,test,dev]'
	touch $(STAMP)

## Crawl the live SNHR sites politely into ./archive (SNHR_ARCHIVE_DIR to change).
crawl: setup
	$(BIN)/snhr-crawler crawl

## No network? Crawl the offline replica into ./demo-archive and show what was archived.
demo: setup
	$(BIN)/python -m snhr_crawler.demo --archive demo-archive

## Run the whole test suite (what CI runs), on every core.
test: setup
	$(BIN)/python -m pytest -q -n auto --dist loadfile

## The inner loop: unit, fixture and golden tests only (no crawls, no commands).
test-fast: setup
	$(BIN)/python -m pytest -q -n auto --dist loadfile -m "not e2e"

## The whole suite with every process's clock moved: a year ahead, and just past
## New Year (CI runs this too). Time zones move with it.
test-clock: setup
	TZ=Pacific/Kiritimati $(BIN)/python -m tests.moved_clock +365d -q -n auto --dist loadfile
	TZ=America/Los_Angeles $(BIN)/python -m tests.moved_clock 2027-01-01T00:00:30Z -q -n auto --dist loadfile

lint: setup
	$(BIN)/ruff check snhr_crawler snhr_replica tests benchmarks
	$(BIN)/mypy

## The benchmark (minutes; not part of `make test`).
bench: setup
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) build *.egg-info
