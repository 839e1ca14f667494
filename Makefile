# Every target sets itself up: a fresh clone needs only python3 (3.11+) and make.
# The suite runs on the Lambda's Python (the template's Runtime) when the machine has it: pyenv's
# build first, then one on PATH; otherwise python3, with a line saying so.
LAMBDA_PYTHON := $(shell sed -n 's/^ *Runtime: *python\([0-9.]*\).*/\1/p' infra/template.yaml | head -n 1)
PYTHON ?= $(or $(firstword $(wildcard $(HOME)/.pyenv/versions/$(LAMBDA_PYTHON).*/bin/python$(LAMBDA_PYTHON)) \
            $(wildcard /root/.pyenv/versions/$(LAMBDA_PYTHON).*/bin/python$(LAMBDA_PYTHON))), \
            $(shell python$(LAMBDA_PYTHON) -c 'import sys; print(sys.executable)' 2>/dev/null), python3)
PYTHON_VERSION := $(shell $(PYTHON) -c 'import platform; print(platform.python_version())' 2>/dev/null)
VENV := .venv
PY := $(VENV)/bin/python
# One stamp per interpreter version: another Python (3.13 installed later) rebuilds the venv.
STAMP := $(VENV)/.installed-$(PYTHON_VERSION)
# Browser and PDF tools of the e2e tier (Debian packages; chromium is driven by Playwright).
SYSTEM_PACKAGES := chromium poppler-utils
SYSTEM_TOOLS := /usr/bin/chromium /usr/bin/pdftotext /usr/bin/pdffonts
export PYTHONPATH := services:infra
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run demo test browser soak bench lint lock catalogue chaos redrive fuzz clean help system-packages python-version

help:
	@echo "make run    - the whole system locally on http://127.0.0.1:$${PORT:-3000} (moto, no Docker)"
	@echo "make demo   - the README's walk-through against make run (or a runtime it starts): every request, answer and what to look at"
	@echo "make test   - every test tier (unit, integration, contract, runtime, e2e, browser)"
	@echo "make browser - the browser tier alone (headless Debian chromium + Playwright + axe-core)"
	@echo "make bench  - figures: cold start per function vs a reference, import time, memory, throughput, AWS calls and cost, the register at 50,000, make test duration (BENCH_COLD_RUNS=5, BENCH_ONLY=cold|calls|throughput, BENCH_SKIP_TESTS=1, BENCH_APPLICATIONS=200)"
	@echo "make lint   - ruff and mypy (configured in pyproject.toml), cfn-lint on the SAM template"
	@echo "make lock   - re-pin services/requirements.txt and requirements-dev.txt (hashes) from pyproject.toml's ranges"
	@echo "make chaos  - 100 applications through the pipeline with injected faults; prints the figures"
	@echo "make redrive - show the DLQs of the running local runtime and move their messages back (ARGS=--dry-run)"
	@echo "make soak   - the model-based test of the whole procedure, long: SOAK_EXAMPLES=500 sequences of up to SOAK_STEPS=60 steps"
	@echo "make openapi - rewrite services/apidocs/openapi.json (the document GET /openapi.json serves) from the routes"
	@echo "make fuzz   - Schemathesis on every route and role: no 5xx, every error problem+json (FUZZ_TIME_LIMIT=240, FUZZ_MAX_EXAMPLES=8, FUZZ_SEED)"

# The locks: every package pinned with the hashes of all its files (so the x86_64 wheels tested here and
# the arm64 ones `sam build` puts in the Lambda artifact), from pyproject.toml's ranges by `make lock`.
# services/requirements.txt is what `sam build` installs (CodeUri: services/); requirements-dev.txt is
# the test venv: the same pins for the Lambda's packages, plus the dev tools.
LOCKS := services/requirements.txt requirements-dev.txt
PIP_TOOLS := pip-tools==7.6.2
COMPILE = .venv-lock/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
          --no-emit-find-links

# The venv's packages go in with uv (itself pinned with its wheels' hashes in requirements-uv.txt, installed by
# the venv's own pip): it fetches and unpacks in parallel and checks the same hashes, about half pip's wall time.
# --compile-bytecode because PYTHONDONTWRITEBYTECODE is set: without .pyc files every test process and Lambda
# worker would compile boto3, botocore and pydantic again on each start.
$(STAMP): $(LOCKS) requirements-uv.txt
	@test -n "$(PYTHON_VERSION)" || { echo "make: no usable Python ($(PYTHON)); install python3 >= 3.11"; exit 1; }
	$(PYTHON) -m venv --clear $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements-uv.txt
	$(VENV)/bin/uv pip install --quiet --python $(PY) --compile-bytecode --require-hashes -r requirements-dev.txt
	@touch $(STAMP)

# A new or changed range in pyproject.toml: re-pin what it needs (UPGRADE=1: the newest of everything),
# then `make test` installs and tests exactly that.
lock:
	$(PYTHON) -m venv --clear .venv-lock
	.venv-lock/bin/python -m pip install --quiet "$(PIP_TOOLS)"
	$(COMPILE) $(if $(UPGRADE),--upgrade) --output-file=services/requirements.txt pyproject.toml
	$(COMPILE) $(if $(UPGRADE),--upgrade) --extra=dev --constraint=services/requirements.txt --output-file=requirements-dev.txt pyproject.toml
	rm -rf .venv-lock

# Never `playwright install`: the browser is Debian's chromium (Playwright gets executable_path).
system-packages:
	@missing=""; for f in $(SYSTEM_TOOLS); do [ -x $$f ] || missing="$$missing $$f"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "make: installing $(SYSTEM_PACKAGES) (missing:$$missing)"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES)) >/dev/null \
	      || { echo "make: apt-get install $(SYSTEM_PACKAGES) failed"; exit 1; }; \
	  else \
	    echo "make test needs the Debian packages $(SYSTEM_PACKAGES) (missing:$$missing): sudo apt-get install $(SYSTEM_PACKAGES)"; exit 1; \
	  fi; \
	fi

python-version:
	@if [ "$(basename $(PYTHON_VERSION))" = "$(LAMBDA_PYTHON)" ]; then \
	  echo "make: Python $(PYTHON_VERSION), the Lambda runtime's (python$(LAMBDA_PYTHON))"; \
	else \
	  echo "make: WARNING python$(LAMBDA_PYTHON) (the Lambda runtime) not found; running on Python $(PYTHON_VERSION)"; \
	fi

run: $(STAMP)
	$(PY) -m localrt

demo: $(STAMP)
	$(PY) tools/demo.py

# The test processes write bytecode (PYTHONDONTWRITEBYTECODE empty): the two pytest workers import the same
# modules, and pytest caches its assertion rewriting of the test files as bytecode too; without it each
# worker compiled and rewrote them all again, every run (~10 s of a run's CPU). The function workers keep
# writing none, as on Lambda (infra/localrt/workers.py).
#
# mypy runs beside the tests, on what the two pytest workers leave of the cores (they wait on the runtime's
# processes), instead of 15 s before them on a clean clone; its report follows the tests', and either failing
# fails make test.
test: $(STAMP) system-packages python-version
	$(VENV)/bin/ruff check .
	@mkdir -p .local
	@$(VENV)/bin/mypy > .local/mypy.out 2>&1 & types=$$!; \
	PYTHONDONTWRITEBYTECODE= $(PY) -m pytest -n 2 --dist loadfile -q; tests=$$?; \
	wait $$types; typed=$$?; echo "mypy:"; cat .local/mypy.out; \
	test $$tests -eq 0 -a $$typed -eq 0

browser: $(STAMP) system-packages
	$(PY) -m pytest tests/browser -q

# The state machine of tests/unit/procedure, with a budget far beyond make test's (a few seconds).
SOAK_EXAMPLES ?= 500
SOAK_STEPS ?= 60
soak: $(STAMP)
	@mkdir -p .local
	SOAK_EXAMPLES=$(SOAK_EXAMPLES) SOAK_STEPS=$(SOAK_STEPS) SOAK_STATS=.local/soak-stats.json \
		$(PY) -m pytest tests/unit/procedure -q -p no:cacheprovider
	@$(PY) -c "import json; s = json.load(open('.local/soak-stats.json')); \
		print(f\"soak: {s['sequences']} sequences, {s['steps']} steps; details in .local/soak-stats.json\")"

bench: $(STAMP)
	$(PY) bench/run.py

fuzz: $(STAMP)
	$(PY) tools/fuzz.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/cfn-lint infra/template.yaml

chaos: $(STAMP)
	$(PY) tools/chaos.py

redrive: $(STAMP)
	$(PY) tools/redrive.py $(ARGS)

catalogue: $(STAMP)
	$(PY) -m kernel.catalogue events/catalogue

# The OpenAPI document GET /openapi.json serves (services/apidocs/openapi.json; tests/contract checks it).
.PHONY: openapi
openapi: $(STAMP)
	$(PY) -m apidocs.openapi services/apidocs/openapi.json

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
