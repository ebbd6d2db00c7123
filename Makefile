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

.PHONY: install demo tune test test-postgres lint typecheck eval bench bench-scale clean lock audit

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	# torch first, pinned: the CPU wheel; anything else pulls gigabytes of CUDA.
	$(PIP) install --quiet torch==2.13.0
	# Everything else at the exact versions of requirements.lock, then the project itself.
	$(PIP) install --quiet -r requirements.lock
	$(PIP) install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# The model taught the project's tuning questions (tests/golden/holdout*.jsonl stay unseen);
# rebuilt only when they change. `policybot tune` also re-indexes the policies.
TUNING_SETS := $(sort $(wildcard tests/golden/questions*.jsonl))
TUNED       := data/tuned-model/policybot-tuning.json
# Two seeds differ by a question or two per file; this one was chosen on the shared dev
# set alone, never on a held-out file (docs/retrieval.md, session 14). A new seed gets a
# new stamp, so changing it retrains.
TUNE_SEED   := 1
SEED_STAMP  := data/.tune-seed-$(TUNE_SEED)
$(SEED_STAMP):
	mkdir -p data && rm -f data/.tune-seed-* && touch $@
$(TUNED): $(STAMP) $(TUNING_SETS) $(SEED_STAMP)
	$(VENV)/bin/policybot tune --seed $(TUNE_SEED) $(TUNING_SETS)

tune: $(TUNED)

demo: $(TUNED)
	$(VENV)/bin/policybot ingest
	$(VENV)/bin/policybot ask "May I friend a foster parent on Facebook?"
	$(VENV)/bin/policybot ask "A youth's mother sent me a friend request. Can I accept?" --agency ma-dys
	$(VENV)/bin/policybot check "Proud of my foster kid Jaylen, 15, who finally got into Lincoln High!"

test: $(STAMP)
	$(VENV)/bin/ruff check bot ingest tests
	$(VENV)/bin/mypy
	$(PY) -m pytest -q

# The state tests again on a throwaway local PostgreSQL (initdb + pg_ctl in a temp dir).
test-postgres: $(STAMP)
	PY=$(PY) scripts/test-postgres.sh

lint: $(STAMP)
	$(VENV)/bin/ruff check bot ingest tests
	$(VENV)/bin/mypy

eval: $(STAMP)
	$(VENV)/bin/policybot eval

bench: $(STAMP)
	$(PY) -m bench.run

# Re-pin after a pyproject.toml change: install the new ranges, then freeze exact versions.
lock: $(STAMP)
	$(PIP) install --quiet -e '.[dev]'
	{ echo "# Exact pins of every runtime and dev dependency (pip freeze of a working venv)."; \
	  echo "# torch is installed first by the Makefile (torch==2.13.0, CPU wheel) and left out here."; \
	  echo "# Regenerate with \`make lock\` after changing pyproject.toml; \`make audit\` checks it."; \
	  $(PIP) freeze --exclude-editable | grep -v -E '^torch=='; } > requirements.lock

# Known vulnerabilities in the locked versions (PyPI's JSON API is the only network used).
audit: $(STAMP)
	$(PY) tools/audit.py

# ~1,000 synthetic documents (~62,000 clauses); long (see docs/benchmarks.md).
bench-scale: $(STAMP)
	$(PY) -m bench.scale

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
