# The two commands of the README's Quick start: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest bench clean install chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# htmx (0BSD) from the npm registry, not committed: pages work without it, HTMX makes them live.
HTMX_VERSION := 2.0.11
HTMX := src/otbill/web/static/vendor/htmx.min.js

$(HTMX):
	@mkdir -p $(VENV)/npm $(dir $(HTMX))
	@(cd $(VENV)/npm && npm pack --silent htmx.org@$(HTMX_VERSION) >/dev/null \
	  && tar xzf htmx.org-$(HTMX_VERSION).tgz package/dist/htmx.min.js \
	  && cp package/dist/htmx.min.js $(CURDIR)/$(HTMX)) \
	  || echo "htmx could not be fetched; the web app works without it (no live updates)"

# Debian's Chromium drives the browser tests (Playwright cannot download its own browser here).
chromium:
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

install: $(STAMP) $(HTMX)

run: $(STAMP) $(HTMX)
	$(BIN)/otbill serve

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) $(HTMX) chromium
	$(BIN)/pytest

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python bench/units.py

clean:
	rm -rf $(VENV) build *.egg-info
