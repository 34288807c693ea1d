#!/usr/bin/env bash
# Serves the system with a real Celery worker and beat beside it; Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_procs.sh
PY=${PY:-.venv/bin/python}
PORT=${PORT:-8000}
CELERY="$(dirname "$PY")/celery"
LOG_DIR="${POVERTYCASE_VAR_DIR:-var}/log"
mkdir -p "$LOG_DIR"

start_proc "$CELERY" -A povertycase worker --loglevel=info --concurrency=2 --without-mingle --without-gossip \
  >"$LOG_DIR/worker.log" 2>&1
start_proc "$CELERY" -A povertycase beat --loglevel=info >"$LOG_DIR/beat.log" 2>&1
echo "Celery worker and beat log to $LOG_DIR/."
echo "povertycase on http://127.0.0.1:$PORT/  (demo logins in README.md)"
start_proc "$PY" manage.py runserver "127.0.0.1:$PORT"
supervise
