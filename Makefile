# The single entry point for working on duban. See README.md.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# `make run` shows the demo year on its demonstration date (banner on every page); override it
# (`make run DUBAN_TODAY=2023-04-05`) or run on the real date with `make run DUBAN_TODAY=`.
DUBAN_TODAY ?= 2023-08-15
# The demo on one machine signs in without phones: the second factor that production requires of
# the office and the administrators is off for `make run` unless asked for
# (`make run DUBAN_2FA_REQUIRED_ROLES=office,system_admin,security_admin,audit_admin`).
DUBAN_2FA_REQUIRED_ROLES ?= none

.PHONY: install run test lint bench bench-peer messages clean

install: $(STAMP)

# Re-installs only when pyproject.toml changes (or the venv is gone).
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { \
	  echo "$(PYTHON) cannot create virtual environments; as root run:"; \
	  echo "    apt-get install -y python3-venv"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: install
# PDF downloads need WeasyPrint's system libraries and a Chinese font; without them duban runs
# and those downloads say what to install (docs/documents.md).
	@$(BIN)/python -c 'import weasyprint' >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q . || { \
	  echo "PDF downloads are off: WeasyPrint's system libraries or a Chinese font are missing."; \
	  echo "Everything else works. To turn them on, as root run:"; \
	  echo "    apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk"; }
	$(BIN)/duban migrate --noinput
# demo loads the Yanshi directory, imports the seed notice into the ledger, builds the demo
# year up to DUBAN_TODAY (all idempotent: docs/demo.md) and creates or resets the demo
# accounts, printing them.
	DUBAN_TODAY=$(DUBAN_TODAY) $(BIN)/duban demo
	@echo "两步验证: DUBAN_2FA_REQUIRED_ROLES=$(DUBAN_2FA_REQUIRED_ROLES) (make run's demo; production requires it of the office and administrators)"
# The production server (gunicorn, docs/deploy.md), each request's line also on the terminal.
	DUBAN_TODAY=$(DUBAN_TODAY) DUBAN_2FA_REQUIRED_ROLES=$(DUBAN_2FA_REQUIRED_ROLES) $(BIN)/duban serve --addr 127.0.0.1:8000 --access-log-stdout

# The whole suite: SQLite with real Chromium, then everything but the browser on PostgreSQL.
test: install
	scripts/ensure-system-packages
	$(BIN)/pytest -n auto
	scripts/with-postgres $(BIN)/pytest -n auto -m "not browser"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy duban
	$(BIN)/lint-imports --no-cache
	$(BIN)/duban makemigrations --check --dry-run

bench: install
	@if [ -f bench/run.py ]; then $(BIN)/python bench/run.py; \
	else echo "bench/run.py does not exist yet: nothing to benchmark."; fi
	$(BIN)/python bench/cockpit.py
# The ledger of the 98 seed tasks against a bare view (bench/ledger.py), then the pages at
# 2,000 tasks (bench/scale.py, SQLite; `make bench SCALE="--tasks 2000 --tasks 20000"` adds the
# province-sized plan, about an hour to build; on PostgreSQL: scripts/with-postgres … bench/scale.py).
# Both print whether each target is met ("yes"/"NO"); a NO does not stop the other.
	-$(BIN)/python bench/ledger.py
	-$(BIN)/python bench/scale.py $(SCALE)
# The served application (gunicorn, 2 workers on 2 cores): requests/s, latency and memory
# under 8 clients on the ledger of all 98 tasks and the API's task list; `duban parse` as a
# whole process.
	-$(BIN)/python bench/serve.py --servers gunicorn --seconds 10 --path '/ledger/?page_size=all'
	-$(BIN)/python bench/serve.py --servers gunicorn --seconds 10 --path '/api/v1/tasks/?limit=100'
	-$(BIN)/python bench/startup.py

# Side by side with the Redmine peer on this machine (../shared/peers, beside the checkout:
# sets the peer up as root when it is missing, about 8 minutes): medians and ratios.
bench-peer: install
	@test -f ../shared/peers/side-by-side.sh || { echo "../shared/peers/side-by-side.sh is not beside this checkout"; exit 1; }
	bash ../shared/peers/side-by-side.sh

# Needs GNU gettext (apt-get install gettext). The compiled .mo files are committed so that
# a fresh clone works without it.
messages: install
	@command -v msgfmt >/dev/null || { echo "make messages needs gettext: apt-get install -y gettext"; exit 1; }
	cd duban && ../$(BIN)/duban makemessages -l zh_Hans -l en --keyword=N_ \
	  --extension=html,txt,py --add-location=file --no-obsolete
	cd duban && ../$(BIN)/duban compilemessages

# Leaves var/ alone: it holds the database, uploaded files and the secret key.
clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
	find . -path ./var -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
