# Two commands do everything on a fresh Debian-like machine with Python 3.11:
#   make run    set up and start the site, a Celery worker and beat on embedded defaults
#   make test   set up and run the whole test suite
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup system lint bench bench-publish load clean messages compilemessages

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "!! $(PYTHON) not found; set PYTHON=..." >&2; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@rm -f $(VENV)/.installed-*; touch $@

system:
	@bash .ci/system-packages.sh

setup: system $(STAMP)

run: setup
	@DJANGO_DEBUG=1 bash .ci/run-embedded.sh $(HOST) $(PORT)

test: setup
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy .

# DB=postgres or DB=sqlite for one database (default both); BENCH_ORGS=10000,100000; see tests/bench/register.py.
bench: setup
	$(PY) -m tests.bench.register $(if $(DB),--db $(DB))

# SQLite always; PostgreSQL too when DATABASE_URL names a PostgreSQL server (a database of its own per N).
bench-publish: setup
	$(PY) -m tests.bench.publish
	$(PY) -m tests.bench.transparency
	@case "$$DATABASE_URL" in postgres*) $(PY) -m tests.bench.publish --db postgres ;; esac

# Mixed public traffic (every search new) at 150 requests/s for 60 s against gunicorn on loopback, on
# PostgreSQL ($$BENCH_POSTGRES_URL) with the benchmark's 100,000 organisations (tests/load/register.py).
load: setup
	$(PY) -m tests.load.register

clean:
	rm -rf var test-artifacts

# English catalogue: one file for all apps and templates/ (LOCALE_PATHS = convention/locale).
# `make messages` refreshes convention/locale/en/LC_MESSAGES/django.po from the code;
# translate the new empty/fuzzy entries, then `make compilemessages` and commit the .po and the .mo.
MSG_IGNORE := -i .venv -i var -i test-artifacts -i tests -i '*.egg-info'

messages: setup
	DJANGO_DEBUG=1 $(PY) manage.py makemessages -l en --no-obsolete -e html,txt,py,jinja $(MSG_IGNORE)

compilemessages: setup
	DJANGO_DEBUG=1 $(PY) manage.py compilemessages -l en $(MSG_IGNORE)
	msgfmt --check --statistics -o /dev/null convention/locale/en/LC_MESSAGES/django.po
