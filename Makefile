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
	$(BIN)/ruff check src tests bench
	DANGJIAN_TESTING=1 $(BIN)/dangjian makemigrations --check --dry-run >/dev/null
	DANGJIAN_TESTING=1 $(BIN)/pytest -n 2 --dist loadfile

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests

format: install
	$(BIN)/ruff format src tests
	$(BIN)/ruff check --fix src tests

clean:
	rm -rf $(VENV) var .pytest_cache

# Measurements for closing notes (never part of CI): page query counts as the roster
# grows, and the time and peak memory of a 25,000-member import.
bench: install
	$(BIN)/python bench/page_queries.py --members 1000 25000
	$(BIN)/python bench/make_roster.py --members 25000 -o var/bench-roster-25k.xlsx
	rm -f var/bench-import.sqlite3
	DEBUG=1 DATABASE_URL=sqlite:///$(CURDIR)/var/bench-import.sqlite3 $(BIN)/dangjian migrate -v0
	DEBUG=1 DATABASE_URL=sqlite:///$(CURDIR)/var/bench-import.sqlite3 /usr/bin/time -f "import: %e s, peak %M KiB" \
	  $(BIN)/dangjian import-roster var/bench-roster-25k.xlsx
	$(BIN)/python bench/dues_bills.py --members 25000
