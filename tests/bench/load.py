"""Load bench: gunicorn with the production settings on PostgreSQL, simulated users with a think time.

    make load                                  # 50 users, 1 s think time, 2 minutes
    .venv/bin/python tests/bench/load.py --users 50 --duration 30

Uses DATABASE_URL (default: the bench database, seeded with --households demo households when
empty), DEBUG=false with collectstatic into var/load/, and gunicorn on a free 127.0.0.1 port. Each
user logs in as a demo account, then loops: household list with filters, a household page, the
dashboard, the ledger list, sleeping the think time between requests. Prints requests, errors,
p50/p95/p99 and each gunicorn worker's RSS (after warm-up, peak, at the end). Not a timed test.
"""

import argparse
import http.cookiejar
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/povertycase_bench"
ROLES = ("command", "township", "village", "department")  # the users cycle through these accounts
PASSWORD = "Fupin-2026"
PAGES = ("list", "household", "dashboard", "ledger")


def main() -> int:
    args = _arguments()
    env = _environment(args)
    _prepare(env, args.households)
    port = _free_port()
    command = [str(Path(sys.executable).parent / "gunicorn"), "povertycase.wsgi"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(args.workers), "--timeout", "120"]
    command += ["--error-logfile", "-", "--log-level", "warning"]
    gunicorn = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(base)
        return _run(args, base, gunicorn.pid)
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=120, help="seconds of load after log-in")
    parser.add_argument("--think", type=float, default=1.0, help="seconds each user waits between requests")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers")
    parser.add_argument("--households", type=int, default=50_000, help="demo households to seed when empty")
    return parser.parse_args()


def _environment(args) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    env.setdefault("POVERTYCASE_VAR_DIR", str(ROOT / "var" / "load"))
    env.update(
        DEBUG="false",
        SECRET_KEY=env.get("SECRET_KEY") or secrets.token_urlsafe(50),
        SECURE_SSL_REDIRECT="false",  # plain http on 127.0.0.1; otherwise the production settings
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
    )
    return env


def _prepare(env, households: int) -> None:
    sys.path.insert(0, str(ROOT))
    from tests.bench.run import _create_postgres_database

    if env["DATABASE_URL"].startswith(("postgres://", "postgresql://")):
        _create_postgres_database(env["DATABASE_URL"])
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    print(f"database {env['DATABASE_URL'].rsplit('/', 1)[-1]}: seeding {households} households if empty")
    subprocess.run(
        [*manage, "seed_demo", "--households", str(households), "--if-empty"],
        cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(base: str) -> None:
    for _ in range(120):
        try:
            urllib.request.urlopen(base + "/accounts/login/", timeout=5).close()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not come up")


class User:
    def __init__(self, base: str, username: str):
        self.base = base
        self.username = username
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.households: list[str] = []
        self.townships: list[str] = []
        self.list_pages = self.ledger_pages = 1

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=60) as resp:
                return resp.status, resp.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, ""

    def login(self) -> None:
        self.get("/accounts/login/")
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": self.username, "password": PASSWORD}
        ).encode()
        request = urllib.request.Request(self.base + "/accounts/login/", data=data)
        with self.opener.open(request, timeout=60) as resp:
            assert urllib.parse.urlparse(resp.url).path == "/", f"{self.username} could not log in"
        _status, page = self.get("/households/")
        self.households = re.findall(r'href="/households/(\d+)/"', page) or ["0"]
        self.townships = re.findall(
            r'<option value="(\d+)"', page.split('name="township"', 1)[-1].split("</select>")[0]
        )
        self.list_pages = _last_page(page)
        self.ledger_pages = _last_page(self.get("/rectification/")[1])

    def next_path(self, rng: random.Random) -> tuple[str, str]:
        page = rng.choice(PAGES)
        if page == "list":
            params = {"page": rng.randint(1, min(self.list_pages, 20))}
            if self.townships and rng.random() < 0.5:  # filtered: the first page
                params = {"township": rng.choice(self.townships)}
            if rng.random() < 0.3:
                params = {**params, "q": rng.choice("王李张刘陈杨"), "page": 1}
            return page, "/households/?" + urllib.parse.urlencode(params)
        if page == "household":
            return page, f"/households/{rng.choice(self.households)}/"
        if page == "dashboard":
            return page, "/"
        return page, "/rectification/?page=" + str(rng.randint(1, min(self.ledger_pages, 5)))


def _last_page(html: str) -> int:
    return max([1, *(int(n) for n in re.findall(r"[?&]page=(\d+)", html))])


def _run(args, base: str, master: int) -> int:
    users = [User(base, ROLES[i % len(ROLES)]) for i in range(args.users)]
    for user in users:
        user.login()
    print(f"{len(users)} users logged in; {args.duration:.0f} s of load, think time {args.think} s")
    samples: list[tuple[str, float, int]] = []
    lock = threading.Lock()
    stop = time.monotonic() + args.duration
    memory = _MemoryWatch(master)
    memory.start()

    def loop(user: User, seed: int) -> None:
        rng = random.Random(seed)
        time.sleep(rng.random() * args.think)  # users do not start in step
        while time.monotonic() < stop:
            page, path = user.next_path(rng)
            started = time.perf_counter()
            status, _body = user.get(path)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                samples.append((page, elapsed, status))
            time.sleep(args.think)

    threads = [threading.Thread(target=loop, args=(u, i)) for i, u in enumerate(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    memory.stop()
    return _print_report(samples, memory, args.duration)


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def _print_report(samples, memory, duration: float) -> int:
    errors = [s for s in samples if s[2] >= 400]
    times = [s[1] for s in samples]
    print(f"\nrequests {len(samples)} ({len(samples) / duration:.1f}/s), errors {len(errors)}")
    print(f"{'page':<12}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for page in (*PAGES, "all"):
        values = times if page == "all" else [s[1] for s in samples if s[0] == page]
        if values:
            row = (_percentile(values, 50), _percentile(values, 95), _percentile(values, 99))
            print(f"{page:<12}{len(values):>7}" + "".join(f"{v:>9.0f}" for v in row))
    print("gunicorn worker RSS, MB (first sample, peak, last):")
    for pid, (first, peak, last) in sorted(memory.workers.items()):
        print(f"  pid {pid}: {first / 1024:.0f}  {peak / 1024:.0f}  {last / 1024:.0f}")
    cpu = sum(last - first for first, last in memory.cpu.values())
    if samples:
        print(f"gunicorn workers' CPU: {cpu:.1f} s in all, {cpu * 1000 / len(samples):.0f} ms per request")
    statuses = statistics.multimode([s[2] for s in errors]) if errors else []
    if errors:
        print(f"error statuses: {statuses}")
    return 1 if errors else 0


class _MemoryWatch(threading.Thread):
    """Samples every gunicorn worker's VmRSS (kB) from /proc twice a second."""

    def __init__(self, master: int):
        super().__init__(daemon=True)
        self.master = master
        self.workers: dict[int, list[int]] = {}
        self.cpu: dict[int, list[float]] = {}  # pid: [first, last] CPU seconds
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(0.5):
            for pid in _children(self.master):
                rss = _rss_kb(pid)
                if rss is None:
                    continue
                first, peak, _last = self.workers.get(pid, [rss, rss, rss])
                self.workers[pid] = [first, max(peak, rss), rss]
                cpu = _cpu_seconds(pid)
                if cpu is not None:
                    self.cpu[pid] = [self.cpu.get(pid, [cpu])[0], cpu]

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _rss_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


if __name__ == "__main__":
    sys.exit(main())
