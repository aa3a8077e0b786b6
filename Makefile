# QualityHub: `make demo` runs the product, `make test` runs the tests. Both set up .venv first.
SHELL := /bin/bash
VENV := .venv
VENV_PY := $(VENV)/bin/python

.PHONY: demo test lint format bench clean prod deploy-check messages messages-check

# Any Python 3.12+ will do: $PYTHON if set, else the first of these that is new enough
# (under pyenv, .python-version selects 3.12 for python3 in this folder).
$(VENV)/.installed: pyproject.toml deploy/system-packages.sh
	@bash deploy/system-packages.sh
	@set -e; found=""; \
	for candidate in "$$PYTHON" python3.13 python3.12 python3 python; do \
	  [ -n "$$candidate" ] || continue; \
	  command -v "$$candidate" >/dev/null 2>&1 || continue; \
	  if "$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	    found="$$candidate"; break; fi; \
	done; \
	if [ -z "$$found" ]; then \
	  echo "QualityHub needs Python 3.12 or newer and none was found." >&2; \
	  echo "Install one (or with pyenv: pyenv install 3.12), or point PYTHON=/path/to/python3.12." >&2; \
	  exit 1; fi; \
	echo "Using $$("$$found" -c 'import sys; print(sys.executable, sys.version.split()[0])')"; \
	[ -x $(VENV_PY) ] && $(VENV_PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { rm -rf $(VENV); "$$found" -m venv $(VENV); }; \
	$(VENV_PY) -m pip install --quiet --upgrade pip; \
	$(VENV_PY) -m pip install --quiet -e '.[dev]'
	@touch $@

demo: $(VENV)/.installed
	DEBUG=$${DEBUG:-1} $(VENV_PY) manage.py demo

# The production stack from the Procfile (gunicorn, a Celery worker, one beat). Needs at least
# SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, CELERY_BROKER_URL (see docs/deploying.md).
prod: $(VENV)/.installed
	$(VENV_PY) manage.py check --deploy --fail-level WARNING
	$(VENV_PY) manage.py migrate --noinput
	$(VENV_PY) manage.py collectstatic --noinput --verbosity 0
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/honcho start

# What CI checks of the production settings: no warning from Django's deployment checklist.
deploy-check: $(VENV)/.installed
	DEBUG=0 SECRET_KEY=$${SECRET_KEY:-$$($(VENV_PY) -c 'import secrets; print(secrets.token_urlsafe(50))')} \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-qualityhub.example.com} \
	$(VENV_PY) manage.py check --deploy --fail-level WARNING

test: $(VENV)/.installed
	$(VENV_PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The documentation site: docs/ built by MkDocs (the `docs` extra) into var/site. --strict makes
# a broken link or anchor, or a page missing from mkdocs.yml's nav, fail the build (CI runs it).
.PHONY: docs
$(VENV)/.docs-installed: $(VENV)/.installed
	$(VENV_PY) -m pip install --quiet -e '.[dev,docs]'
	@touch $@

docs: $(VENV)/.docs-installed
	$(VENV)/bin/mkdocs build --strict --quiet

# The translation catalogues (qualityhub/locale/<lang>/LC_MESSAGES): `make messages` extracts
# every marked string into the .po files (a translator fills them) and compiles the .mo files
# that are committed beside them, so a machine without gettext still shows the languages.
# `make messages-check` (CI) compiles them with msgfmt's checks; tests/i18n says the rest (none
# fuzzy, none missing, none out of date with the sources).
LANGS := de fr es
MESSAGES_SOURCES := --ignore=.venv --ignore=var --ignore=tests --ignore=bench --ignore=docs \
	--ignore=deploy --ignore='qualityhub/sandbox/*' -e html,txt,py --add-location=file --no-obsolete
messages: $(VENV)/.installed
	DEBUG=1 $(VENV_PY) manage.py makemessages $(addprefix -l ,$(LANGS)) $(MESSAGES_SOURCES)
	DEBUG=1 $(VENV_PY) manage.py compilemessages --ignore=.venv --ignore=var

messages-check: $(VENV)/.installed
	@for lang in $(LANGS); do \
	  msgfmt --check --statistics -o /dev/null qualityhub/locale/$$lang/LC_MESSAGES/django.po || exit 1; \
	done
	DEBUG=1 $(VENV_PY) manage.py compilemessages --ignore=.venv --ignore=var

clean:
	rm -rf $(VENV) var
