#!/usr/bin/env bash
# The production smoke stage (.ci/run, `make smoke`): a fresh PostgreSQL database and Redis db,
# DEBUG=false, a small demo, scripts/serve (gunicorn, Celery worker and beat) on a free port,
# then tests/smoke/smoke.py. Fails on any 5xx or failed task; stops everything at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PY:-.venv/bin/python}
SMOKE_DB=${SMOKE_DB:-povertycase_smoke}
SMOKE_REDIS_DB=${SMOKE_REDIS_DB:-14}
PG=${SMOKE_PG:-postgres://postgres@127.0.0.1:5432}

export PY POVERTYCASE_VAR_DIR="$PWD/var/smoke"
export DATABASE_URL="$PG/$SMOKE_DB" REDIS_URL="redis://127.0.0.1:6379/$SMOKE_REDIS_DB"
# Plain http on 127.0.0.1: no HTTPS redirect or secure-only cookies; the rest as in production.
export DEBUG=false SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false
# Small limits, so the import and the ledger export go through the Celery worker.
export IMPORT_SYNC_MAX_ROWS=50 RECTIFICATION_EXPORT_SYNC_MAX_ROWS=50 WEB_WORKERS=${WEB_WORKERS:-2}
PORT=$("$PY" -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
export BIND="127.0.0.1:$PORT"

rm -rf "$POVERTYCASE_VAR_DIR" && mkdir -p "$POVERTYCASE_VAR_DIR/log"
psql "$PG/postgres" -q -c "DROP DATABASE IF EXISTS $SMOKE_DB" -c "CREATE DATABASE $SMOKE_DB"
redis-cli -n "$SMOKE_REDIS_DB" flushdb >/dev/null
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py seed_demo --households "${SMOKE_HOUSEHOLDS:-200}" >/dev/null

scripts/serve >"$POVERTYCASE_VAR_DIR/log/serve.log" 2>&1 &
serve=$!
trap 'kill -TERM $serve 2>/dev/null; wait $serve 2>/dev/null || true' EXIT
for _ in $(seq 120); do
  "$PY" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=5)" \
    "http://$BIND/accounts/login/" 2>/dev/null && break
  kill -0 $serve 2>/dev/null || { cat "$POVERTYCASE_VAR_DIR/log/serve.log"; exit 1; }
  sleep 1
done

status=0
"$PY" tests/smoke/smoke.py --base-url "http://$BIND" || status=1
LOGS="$POVERTYCASE_VAR_DIR/log"
if grep -E '" 5[0-9]{2} ' "$LOGS/access.log"; then echo "server errors in the access log" >&2; status=1; fi
if grep -E 'raised unexpected|Traceback' "$LOGS/worker.log" "$LOGS/gunicorn.log"; then
  echo "errors in the worker or gunicorn log" >&2
  status=1
fi
exit $status
