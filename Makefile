# Every target sets itself up: a fresh clone needs only python3 (3.11+) and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export PYTHONPATH := services:infra
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test browser chromium bench lint catalogue chaos redrive fuzz clean help

help:
	@echo "make run    - the whole system locally on http://127.0.0.1:$${PORT:-3000} (moto, no Docker)"
	@echo "make test   - every test tier (unit, integration, contract, runtime, e2e, browser)"
	@echo "make browser - the browser tier alone (headless Debian chromium + Playwright + axe-core)"
	@echo "make bench  - figures: import time, memory, throughput, AWS calls and cost, make test duration (BENCH_SKIP_TESTS=1, BENCH_APPLICATIONS=200)"
	@echo "make lint   - cfn-lint on the SAM template"
	@echo "make chaos  - 100 applications through the pipeline with injected faults; prints the figures"
	@echo "make redrive - show the DLQs of the running local runtime and move their messages back (ARGS=--dry-run)"
	@echo "make fuzz   - Schemathesis on every route and role: no 5xx, every error problem+json (FUZZ_TIME_LIMIT=240, FUZZ_MAX_EXAMPLES=8, FUZZ_SEED)"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[dev]"
	@touch $(STAMP)

run: $(STAMP)
	$(PY) -m localrt

test: $(STAMP) chromium
	$(VENV)/bin/cfn-lint infra/template.yaml
	$(PY) -m pytest -n 2 --dist loadfile -q

browser: $(STAMP) chromium
	$(PY) -m pytest tests/browser -q

# The browser tests drive Debian's chromium (never `playwright install`, which downloads a browser).
chromium:
	@if [ ! -x "$${CHROMIUM:-/usr/bin/chromium}" ]; then \
		if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
			echo "installing the Debian package chromium for the browser tests"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "the browser tests need Debian's chromium: run 'apt-get install chromium' as root (package: chromium)"; exit 1; \
		fi; \
	fi

bench: $(STAMP)
	$(PY) bench/run.py

fuzz: $(STAMP)
	$(PY) tools/fuzz.py

lint: $(STAMP)
	$(VENV)/bin/cfn-lint infra/template.yaml

chaos: $(STAMP)
	$(PY) tools/chaos.py

redrive: $(STAMP)
	$(PY) tools/redrive.py $(ARGS)

catalogue: $(STAMP)
	$(PY) -m kernel.catalogue events/catalogue

clean:
	rm -rf $(VENV) .pytest_cache
