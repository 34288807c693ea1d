#!/usr/bin/env bash
# Serves the system with a real Celery worker and beat beside it; Ctrl-C stops all three.
set -euo pipefail
PY=${PY:-.venv/bin/python}
PORT=${PORT:-8000}
CELERY="$(dirname "$PY")/celery"
mkdir -p var/log

"$CELERY" -A povertycase worker --loglevel=info --concurrency=2 >var/log/worker.log 2>&1 &
worker=$!
"$CELERY" -A povertycase beat --loglevel=info >var/log/beat.log 2>&1 &
beat=$!
trap 'kill $worker $beat 2>/dev/null; wait $worker $beat 2>/dev/null' EXIT INT TERM

echo "Celery worker (pid $worker) and beat (pid $beat) log to var/log/."
echo "povertycase on http://127.0.0.1:$PORT/  (demo logins in README.md)"
"$PY" manage.py runserver "127.0.0.1:$PORT"
