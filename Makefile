# The two newcomer commands: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test install lint format bench clean lock audit-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Every dependency at the version and hashes of requirements.lock, then the project itself.
$(STAMP): $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# Installs, migrates, loads the demo data and serves on http://127.0.0.1:$(PORT)
# (PORT=8001 make demo for another port).
PORT ?= 8000
demo: install
	DEBUG=1 PORT=$(PORT) $(BIN)/dangjian demo

# Installs and runs the whole suite (SQLite unless DATABASE_URL says otherwise).
test: install
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports --no-cache
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

# After changing a dependency in pyproject.toml: pin the new set (versions and hashes).
lock: $(BIN)/python
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --extra test --extra bench --generate-hashes --strip-extras --allow-unsafe \
	  --no-emit-index-url --no-emit-find-links --output-file requirements.lock pyproject.toml

# Known vulnerabilities in the locked dependencies (needs PyPI's JSON API or OSV; --strict
# fails when a package could not be checked, instead of passing it over).
audit-deps: $(BIN)/python
	$(BIN)/pip install --quiet pip-audit
	$(BIN)/pip-audit --strict --require-hashes --disable-pip -r requirements.lock

# The city benchmark (issue 7, never part of CI): starts a throw-away PostgreSQL cluster
# (installing PostgreSQL when missing), generates a city of N = 8 and N = 87 hospitals on
# SQLite and on PostgreSQL, serves it with gunicorn (2 workers), measures every page and
# the roster import; then a province of 1,000 hospitals on PostgreSQL (issue 15: about
# 15 minutes to generate); then the load test on the N = 87 cities (issue 15, bench/load.py:
# locust at 10, 30 and 60 users, with and without writes, about 14 minutes), while the
# cluster still runs; writes bench/results.json and docs/benchmarks.md. Then the time of a
# month's dues bills for 25,000 members (issue 5). Then past one machine (issue 15): a
# primary, a streaming standby and PgBouncer on loopback, the statistics read from the
# standby (bench/replica.py; its result under "replica" in bench/results.json).
BENCH_PG_DIR  ?= /tmp/dangjian-bench-pg
BENCH_PG_PORT ?= 55433
BENCH_PROVINCE ?= 1000
BENCH_PG_URL  := postgres://dangjian@127.0.0.1:$(BENCH_PG_PORT)
bench: install
	bench/pg.sh start $(BENCH_PG_DIR) $(BENCH_PG_PORT)
	$(BIN)/python bench/city.py --pg-url $(BENCH_PG_URL) --province $(BENCH_PROVINCE) && \
	  $(BIN)/python bench/load.py --pools --pg-url $(BENCH_PG_URL); \
	  status=$$?; bench/pg.sh stop $(BENCH_PG_DIR); exit $$status
	$(BIN)/python bench/report.py
	$(BIN)/python bench/dues_bills.py --members 25000
	$(BIN)/python bench/replica.py
