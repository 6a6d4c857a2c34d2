# The two newcomer commands: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test install lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

# Installs, migrates, loads the demo data and serves on http://127.0.0.1:8000
demo: install
	DEBUG=1 $(BIN)/dangjian demo

# Installs and runs the whole suite (SQLite unless DATABASE_URL says otherwise).
test: install
	$(BIN)/ruff check src tests
	DANGJIAN_TESTING=1 $(BIN)/dangjian makemigrations --check --dry-run >/dev/null
	DANGJIAN_TESTING=1 $(BIN)/pytest -n 2 --dist loadfile

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

format: install
	$(BIN)/ruff format src tests
	$(BIN)/ruff check --fix src tests

clean:
	rm -rf $(VENV) var .pytest_cache
