# Two commands matter on a fresh clone: `make demo` and `make test` (see README).
PYTHON ?= python3.11
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
STAMP  := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export TOKENIZERS_PARALLELISM := false

.PHONY: install demo test lint typecheck eval bench bench-scale clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# torch first, pinned: the CPU wheel; anything else pulls gigabytes of CUDA.
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/policybot ingest
	$(VENV)/bin/policybot ask "May I friend a foster parent on Facebook?"
	$(VENV)/bin/policybot ask "A youth's mother sent me a friend request. Can I accept?" --agency ma-dys
	$(VENV)/bin/policybot check "Proud of my foster kid Jaylen, 15, who finally got into Lincoln High!"

test: $(STAMP)
	$(VENV)/bin/ruff check bot ingest tests
	$(VENV)/bin/mypy
	$(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check bot ingest tests
	$(VENV)/bin/mypy

eval: $(STAMP)
	$(VENV)/bin/policybot eval

bench: $(STAMP)
	$(PY) -m bench.run

# ~1,000 synthetic documents (~62,000 clauses); long (see docs/benchmarks.md).
bench-scale: $(STAMP)
	$(PY) -m bench.scale

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
