"""Ctrl-C on `make run` (scripts/run-all.sh) stops the server, the Celery worker and beat within 10 s."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.worker


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _group_alive(pgid):
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _wait_for(predicate, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


def test_ctrl_c_stops_server_worker_and_beat_within_ten_seconds(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    env.update({"POVERTYCASE_VAR_DIR": str(tmp_path), "PY": sys.executable, "PORT": str(port)})
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    script = subprocess.Popen(["bash", "scripts/run-all.sh"], cwd=ROOT, env=env, start_new_session=True)
    worker_log = tmp_path / "log" / "worker.log"
    try:
        assert _wait_for(lambda: worker_log.exists() and "ready." in worker_log.read_text(), 90)
        assert _wait_for(lambda: socket.socket().connect_ex(("127.0.0.1", port)) == 0, 60)
        children = subprocess.run(["pgrep", "-P", str(script.pid)], capture_output=True, text=True).stdout
        groups = [int(pid) for pid in children.split()]
        assert len(groups) == 3  # worker, beat and runserver, each in its own process group

        started = time.monotonic()
        script.send_signal(signal.SIGINT)  # what the terminal sends on Ctrl-C
        script.wait(timeout=15)
        assert _wait_for(lambda: not any(_group_alive(g) for g in groups), 2)
        assert time.monotonic() - started < 10
    finally:
        if script.poll() is None:
            os.killpg(script.pid, signal.SIGKILL)
