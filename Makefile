# The README's two commands are `make run` and `make test`; everything else is here for them.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
IDN_AREA_DATA_VERSION ?= 4.0.1
REGION_DATA := ilp/regions/data

.PHONY: setup run serve demo test lint browser regions-data assets messages clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

## First README command: install, create the SQLite database, load regions, seed the demo, serve.
run: setup
	$(BIN)/ilp demo
	$(BIN)/ilp serve

## Second README command: lint, layer contracts and the whole test suite (browser tests included), one
## pytest-xdist worker per core (tests/conftest.py groups the tests that share a fixture on one worker).
PYTEST_ARGS ?= -n auto --dist loadgroup
test: setup browser lint
	$(BIN)/pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

## Debian's chromium for the Playwright browser tests (installed when missing and apt is usable).
browser:
	@if [ -x /usr/bin/chromium ]; then exit 0; fi; \
	if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	elif command -v sudo >/dev/null; then \
		sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "chromium is missing: browser tests will be skipped (install Debian's chromium)"; fi

## Refresh the region master data from the npm package idn-area-data (ODbL).
regions-data:
	rm -rf /tmp/ilp-idn-area-data && mkdir -p /tmp/ilp-idn-area-data
	cd /tmp/ilp-idn-area-data && npm pack --silent idn-area-data@$(IDN_AREA_DATA_VERSION) >/dev/null && tar xzf idn-area-data-$(IDN_AREA_DATA_VERSION).tgz
	for f in provinces regencies districts villages; do \
		gzip -9 -n -c /tmp/ilp-idn-area-data/package/data/$$f.csv > $(REGION_DATA)/$$f.csv.gz; done
	cp /tmp/ilp-idn-area-data/package/data/LICENSE.md $(REGION_DATA)/LICENSE-ODbL.md
	$(PY) -c "import json,pathlib; p=pathlib.Path('$(REGION_DATA)/SOURCE.json'); d=json.loads(p.read_text()); d['version']='$(IDN_AREA_DATA_VERSION)'; p.write_text(json.dumps(d, indent=2)+'\n')"

## Vendored front-end assets (htmx, Pico CSS) from npm into ilp/web/static/vendor.
assets:
	npm ci --silent
	npm run --silent vendor

## Re-extract and compile translations (needs GNU gettext: apt-get install gettext).
messages: setup
	$(BIN)/ilp makemessages -l id --ignore=node_modules --ignore=var --ignore=tests --ignore=bench --ignore=.venv --ignore=screenshots
	$(BIN)/ilp compilemessages --ignore=.venv --ignore=node_modules

clean:
	rm -rf $(VENV) var
