# Two commands on a fresh machine: `make run` serves the demo, `make test` tests it.
# The first interpreter that runs and is 3.11 or newer (pyenv shims may exist but not run).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: install run test lint format messages clean

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

run: install
	@$(PY) manage.py migrate --noinput -v 0
	@$(PY) manage.py seed_demo
	@echo "Serving http://127.0.0.1:$(PORT)/ (public site) and /admin/ (Ctrl-C stops)"
	@# Without Redis there is no beat: a sweep loop beside the server sends notices
	@# (every 5 minutes; the sweeps are idempotent) and stops with it.
	@$(PY) manage.py run_sweeps --every 300 -v 0 & sweeps=$$!; \
		trap 'kill $$sweeps 2>/dev/null' EXIT INT TERM; \
		$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# Needs GNU gettext (Debian: apt-get install gettext); compiled catalogues are committed.
# locale/ holds the project's own strings (liaison/ and templates/); each app has its own.
# makemessages' -i matches a folder's name anywhere in the tree: no template folder may be
# called representatives, stations or suggestions (hence templates/staff/proposals/); the
# newer apps are left out by path ('figures/*'), so templates/staff/figures/ stays in.
messages: install
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete -i representatives -i stations \
		-i suggestions -i 'projects/*' -i 'figures/*' -i 'workarea/*' -i tests -i static -i docs
	for app in representatives stations suggestions projects figures workarea; do \
		(cd $$app && ../$(PY) ../manage.py makemessages -l zh_Hans --no-obsolete); \
	done
	$(PY) manage.py compilemessages -l zh_Hans -i .venv

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
