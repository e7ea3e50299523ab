# The two commands of the README: `make run` (set up and serve) and `make test` (the whole suite).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi

.PHONY: run setup test lint model clean

run: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask seed --demo
	$(BIN)/flask run --host 127.0.0.1 --port $${PORT:-5000}

setup: $(VENV)/.installed model

$(VENV)/.installed: requirements.txt
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

# The classifier artifact is built here, not committed (see classifier/README.md).
model: $(VENV)/.installed
	test -f classifier/artifacts/current.json || $(BIN)/python -m classifier.train

test: setup
	bash scripts/test.sh

lint: $(VENV)/.installed
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) instance .pytest_cache
