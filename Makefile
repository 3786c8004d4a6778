# Two commands for a newcomer: `make demo` and `make test`. Everything else is here for them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.PHONY: install demo test lint format messages lighthouse clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed (set PYTHON=python3.12, say)")'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet ".[dev]"
	touch $@

demo: install
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo
	$(MANAGE) ensure_demo_admin
	@echo "Serving http://127.0.0.1:8000/ (admin: http://127.0.0.1:8000/admin/). Stop with Ctrl+C."
	$(MANAGE) runserver 127.0.0.1:8000

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Re-extract the template and code strings into locale/*/django.po and compile them (needs GNU gettext).
# The compiled .mo files are committed, so a fresh machine needs no gettext.
messages: install
	$(MANAGE) makemessages --locale kk --locale ru --locale en --ignore '.venv/*' --ignore 'demo/content/*' --ignore 'node_modules/*' --no-obsolete
	$(MANAGE) compile_messages_portable

# Lighthouse scores of the demo served by gunicorn (needs Node.js and npm, and Debian's chromium).
lighthouse: install
	npm install --no-audit --no-fund --silent
	$(BIN)/python scripts/lighthouse.py

clean:
	rm -rf $(VENV) .test-media staticfiles
