# PartyLeague — one entry point. `make run` and `make test` set up everything they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: setup system-deps run test e2e screenshots bench load lint format messages compilemessages clean

setup: system-deps $(STAMP) compilemessages

system-deps:
	@./scripts/system-deps.sh

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $(STAMP)

compilemessages: $(STAMP)
	@$(MANAGE) compilemessages --ignore=.venv > $(VENV)/compilemessages.log 2>&1 || (grep -v "^processing" $(VENV)/compilemessages.log; exit 1)

run: setup
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) seed_demo
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	$(MANAGE) runserver $(HOST):$(PORT)

test: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

e2e: setup
	$(BIN)/pytest -m e2e $(PYTEST_ARGS)

# Refresh the README's pictures in docs/screenshots/ (the browser journeys take them).
screenshots: setup
	PARTYLEAGUE_SCREENSHOTS=1 $(BIN)/pytest -m e2e $(PYTEST_ARGS)

bench: setup
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python -m scripts.bench

load: setup
	$(BIN)/pip install -q -e '.[bench]'
	./scripts/load.sh

# lint-imports: the apps' layers (.importlinter, docs/architecture.md).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Extract every app's strings into its own catalogue (apps own their locale/ folders); project
# templates and config go to ./locale.
APPS := core branches members meetings activities finance reports
messages: $(STAMP)
	@for app in $(APPS); do mkdir -p $$app/locale; \
	  (cd $$app && ../$(BIN)/python ../manage.py makemessages -l zh_Hans -l en --no-obsolete -v0) ; done
	@mkdir -p locale
	@$(MANAGE) makemessages -l zh_Hans -l en --no-obsolete -v0 --ignore=.venv --ignore=tests --ignore=scripts --ignore=test-results \
	  --ignore=static --ignore=staticfiles $(foreach app,$(APPS),--ignore=$(app))
	$(MAKE) compilemessages

clean:
	rm -rf $(VENV) staticfiles
