# The two commands: `make run` and `make test`. Everything else is here for them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: run test test-browser test-fuzz test-faults test-concurrency lint bench install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Local use: DEBUG on (plain-HTTP cookies), SQLite and the embedded broker unless configured.
run: export DEBUG ?= true
# One address for every process: honcho gives each process its own PORT (web 8000, worker
# 8100, beat 8200), so links in e-mails the worker sends would point at the wrong port.
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_playbook
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "  hiring is starting on http://127.0.0.1:$(PORT)/  (web, Celery worker and beat; Ctrl-C stops all)"
	@echo ""
	$(BIN)/honcho --no-prefix -f Procfile.dev start

test: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	SECRET_KEY=mypy-only DEBUG=true $(BIN)/mypy
	$(BIN)/pytest -n auto --dist loadfile -m "not browser and not fuzz and not faults and not concurrency"

test-browser: install-dev
	$(BIN)/pytest -m browser tests/browser

# schemathesis against /api/schema/, every operation as every role (FUZZ_EXAMPLES, FUZZ_SEED).
test-fuzz: install-dev
	$(BIN)/pytest -m fuzz tests/fuzz

# Redis stopped, PostgreSQL connections dropped: private services on loopback only.
test-faults: install-dev
	$(BIN)/pytest -m faults tests/faults

# Ten parallel requests per state-changing write against a real gunicorn: one effect, no 500.
# Needs DATABASE_URL=postgres://... (skipped on SQLite, a failure in CI).
test-concurrency: install-dev
	$(BIN)/pytest -m concurrency tests/concurrency

lint: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install-dev
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) var
