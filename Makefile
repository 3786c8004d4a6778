# Two commands for a newcomer: `make demo` and `make test`. Everything else is here for them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.PHONY: install demo test lint format messages lighthouse bench bench-booking backup restore clean

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

# Requests per second of the production setup (gunicorn, Redis, deploy/nginx) on PostgreSQL with a generated site of
# 3 000 pages; writes docs/benchmarks.md. About 11 minutes (BENCH_DURATION=5 for a quick try). Needs PostgreSQL and
# Redis on 127.0.0.1, wrk and nginx (installed with apt-get when missing).
bench: install
	$(BIN)/python scripts/bench.py

# The booking's queries and time per step (scripts/bench_booking.py), on the demo with the simulated MIS and bank,
# caches empty then in memory; prints a table (docs/booking.md, "Benchmark"). About 3 minutes.
bench-booking: install
	$(BIN)/python scripts/bench_booking.py

# The database (DATABASE_URL: pg_dump, or SQLite's backup API) and MEDIA_ROOT, with a manifest and checksums, in
# one folder BACKUP_DIR/<UTC time>/ (BACKUP_DIR defaults to ./backups). restore verifies the backup, takes a safety
# backup of the current state, then restores both. Production, cron, restore drill: docs/deploy.md.
backup: install
	$(BIN)/python scripts/backup.py create

restore: install
	@test -n "$(BACKUP)" || { echo "Usage: make restore BACKUP=backups/<folder>"; exit 2; }
	$(BIN)/python scripts/backup.py restore "$(BACKUP)"

clean:
	rm -rf $(VENV) .test-media staticfiles
