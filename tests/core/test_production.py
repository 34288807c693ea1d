"""The production path: DEBUG=false settings, static files, deploy checks, error pages."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, env_extra, tmp_path):
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update({"POVERTYCASE_VAR_DIR": str(tmp_path), "DEBUG": "false", **env_extra})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_collectstatic_with_the_manifest_storage(tmp_path):
    result = _manage("collectstatic", "--noinput", env_extra={}, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    static_root = tmp_path / "staticfiles"
    assert (static_root / "staticfiles.json").exists()
    assert list((static_root / "vendor" / "chartjs").glob("chart.umd.min.*.js.gz"))
