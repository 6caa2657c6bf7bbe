# Two commands: `make chat` and `make test`. Everything else is set up on the way.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt
export GRADIO_ANALYTICS_ENABLED := False
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: chat test lint bench eval train clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip

$(VENV)/.base: $(BIN)/python pyproject.toml constraints.txt
	$(PIP) -e .
	touch $@

$(VENV)/.dev: $(VENV)/.base
	$(PIP) -e '.[neural,llm,dev,e5]'
	touch $@

chat: $(VENV)/.base
	$(BIN)/ip-assistant chat

test: $(VENV)/.dev
	$(BIN)/python -m pytest -q

lint: $(VENV)/.dev
	$(BIN)/ruff check assistant index tests
	$(BIN)/ruff format --check assistant index tests
	$(BIN)/mypy

bench: $(VENV)/.dev
	$(BIN)/python -m tests.benchmarks

eval: $(VENV)/.base
	$(BIN)/ip-assistant eval tests/dev.jsonl

# The answer selector, from CMRC 2018 dev, DRCD dev and the bundled question sets (docs/evaluation.md).
# The folder holding cmrc2018_dev.json and drcd_dev.json: make train BENCH_DATA=path/to/bench-data
BENCH_DATA ?=
SETS := tests/dev.jsonl tests/extra.jsonl tests/heldout.jsonl $(foreach n,2 3 4 5 6,tests/heldout$(n).jsonl)
train: $(VENV)/.dev
	@test -n "$(BENCH_DATA)" || { echo 'make train BENCH_DATA=FOLDER (the folder of cmrc2018_dev.json and drcd_dev.json)'; exit 2; }
	$(BIN)/ip-assistant train --cmrc $(BENCH_DATA)/cmrc2018_dev.json --drcd $(BENCH_DATA)/drcd_dev.json \
		--sets $(SETS)

clean:
	rm -rf $(VENV) .data
