# Sourced by run-all.sh and serve. Each service runs in its own process group (setsid), so a stop
# reaches its children too (runserver's reloader, the Celery pool). Stopping sends TERM, waits
# STOP_GRACE seconds (a Celery worker's warm shutdown finishes running tasks; an idle one takes a few
# seconds, a busy one far longer), then KILLs what is left: Ctrl-C ends everything within 10 s.
# Tasks run with acks_late, so one killed mid-way is delivered again on the next start.
PROCS=()

start_proc() {
  setsid "$@" &
  PROCS+=("$!")
}

stop_procs() {
  trap - INT TERM EXIT
  [[ -z "${PROCS_STOPPED:-}" ]] || return 0
  PROCS_STOPPED=1
  local pid deadline=$((SECONDS + ${STOP_GRACE:-6}))
  echo "Stopping (pids ${PROCS[*]})..." >&2
  for pid in "${PROCS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  while ((SECONDS < deadline)) && [[ -n "$(jobs -rp)" ]]; do sleep 0.2; done
  for pid in "${PROCS[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}

# Returns when a signal arrives or any service exits; then stops them all.
supervise() {
  trap stop_procs INT TERM EXIT
  wait -n || true
  stop_procs
}
