#!/usr/bin/env bash
# The whole suite: lint, then the tests on SQLite with jobs inline, then (when TEST_DATABASE_URL is set) again on
# PostgreSQL with Redis and real RQ workers. `.ci/run` provides both servers and calls this script via `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

$BIN/ruff check .

echo "== tests on SQLite =="
env -u TEST_DATABASE_URL $BIN/python -m pytest -q "$@"

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  echo "== tests on PostgreSQL + Redis =="
  # the browser and classifier-quality tests do not depend on the database; run them once
  $BIN/python -m pytest -q --ignore=tests/e2e --ignore=tests/classifier "$@"
fi
