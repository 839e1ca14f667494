# Every target sets itself up: a fresh clone needs only python3 (3.11+) and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export PYTHONPATH := services:infra
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test soak bench lint catalogue chaos redrive fuzz clean help

help:
	@echo "make run    - the whole system locally on http://127.0.0.1:$${PORT:-3000} (moto, no Docker)"
	@echo "make test   - every test tier (unit, integration, contract, runtime, e2e)"
	@echo "make bench  - figures: import time, memory, throughput, AWS calls and cost, make test duration (BENCH_SKIP_TESTS=1, BENCH_APPLICATIONS=200)"
	@echo "make lint   - cfn-lint on the SAM template"
	@echo "make chaos  - 100 applications through the pipeline with injected faults; prints the figures"
	@echo "make redrive - show the DLQs of the running local runtime and move their messages back (ARGS=--dry-run)"
	@echo "make soak   - the model-based test of the whole procedure, long: SOAK_EXAMPLES=500 sequences of up to SOAK_STEPS=60 steps"
	@echo "make fuzz   - Schemathesis on every route and role: no 5xx, every error problem+json (FUZZ_TIME_LIMIT=240, FUZZ_MAX_EXAMPLES=8, FUZZ_SEED)"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[dev]"
	@touch $(STAMP)

run: $(STAMP)
	$(PY) -m localrt

test: $(STAMP)
	$(VENV)/bin/cfn-lint infra/template.yaml
	$(PY) -m pytest -n 2 --dist loadfile -q

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
	$(VENV)/bin/cfn-lint infra/template.yaml

chaos: $(STAMP)
	$(PY) tools/chaos.py

redrive: $(STAMP)
	$(PY) tools/redrive.py $(ARGS)

catalogue: $(STAMP)
	$(PY) -m kernel.catalogue events/catalogue

clean:
	rm -rf $(VENV) .pytest_cache
