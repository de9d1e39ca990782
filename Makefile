# make run: set up, migrate, load demo data, serve on http://127.0.0.1:5000
# make test: set up, run the whole suite on SQLite, then again on PostgreSQL
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
STAMP := $(VENV)/.installed
# The audio captcha's Mandarin voices (espeak-ng, apt-get install espeak-ng), made once here.
VOICES ?= instance/captcha-voices

.PHONY: setup run test test-sqlite test-postgres translations lint clean bench chaos mutants

setup: $(STAMP) translations/en/LC_MESSAGES/messages.mo $(VOICES)/.made

$(VOICES)/.made: portal/abuse/captcha_voices.py $(STAMP)
	command -v espeak-ng >/dev/null || (apt-get update -qq && apt-get install -y -qq espeak-ng)
	$(BIN)/python -m portal.abuse.captcha_voices $(VOICES)
	touch $@

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip setuptools wheel
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

translations/en/LC_MESSAGES/messages.mo: translations/en/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d translations

translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ --no-location --sort-output \
		-o translations/messages.pot app.py config.py models portal templates
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching
	$(BIN)/pybabel compile -d translations

run: setup
	mkdir -p instance
	PORTAL_ENV=development $(BIN)/flask db upgrade
	PORTAL_ENV=development $(BIN)/flask seed-demo
	PORTAL_ENV=development $(BIN)/flask run --host 127.0.0.1 --port 5000

test: setup test-sqlite test-postgres

test-sqlite: setup
	$(BIN)/python -m pytest

# PostgreSQL half: skipped with a message where none answers, except under CI, where it fails.
test-postgres: setup
	@if $(BIN)/python -c "import psycopg; psycopg.connect('host=127.0.0.1 port=5432 user=postgres dbname=test', connect_timeout=3).close()" 2>/dev/null; then \
		TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL does not answer at 127.0.0.1:5432 (database test); CI needs it." >&2; exit 1; \
	else \
		echo "SKIPPED the PostgreSQL half: nothing answers at 127.0.0.1:5432 (database test)."; \
	fi

# A million cases in PostgreSQL database pingyi_bench, then page timings with query plans, a
# load run against gunicorn on loopback and the captcha's costs; figures go to bench/results/.
bench: setup
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	mkdir -p bench/results
	$(BIN)/python bench/seed_million.py | tee bench/results/seed.txt
	$(BIN)/python bench/queries.py | tee bench/results/queries.txt
	$(BIN)/python bench/figures.py | tee bench/results/figures.txt
	$(BIN)/python bench/export_csv.py | tee bench/results/export.txt
	$(BIN)/python bench/load.py | tee bench/results/load.txt
	$(BIN)/python bench/captcha_cost.py | tee bench/results/captcha.txt

# Fault tests: SIGKILL every gunicorn worker and restart PostgreSQL, under load. They start a
# private PostgreSQL server of their own (initdb in a temporary directory, a free port) and
# restart that one, never the shared cluster at 127.0.0.1:5432.
chaos: setup
	$(BIN)/python -m pytest -p no:randomly -m chaos tests/chaos

# Mutation testing of the rule modules (workflow, working days, appraisal scoring, report
# figures) with the fast SQLite tests that cover them; settings under [tool.mutmut] in
# pyproject.toml, score and the survivors judged equivalent in docs/mutation.md.
mutants: setup
	rm -rf mutants
	$(BIN)/mutmut run --max-children 2
	$(BIN)/mutmut results

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) instance/pingyi.sqlite3 .pytest_cache
