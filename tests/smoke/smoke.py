"""Production smoke test against a running `scripts/serve` (run by tests/smoke/run.sh in CI).

Logs in as every demo role, opens every page of that role's menu (200), fetches a static file
served by whitenoise, runs one household import and one ledger export through the Celery worker,
and fails on any 5xx. Standard library only; not collected by pytest.

    python tests/smoke/smoke.py --base-url http://127.0.0.1:8000
"""

import argparse
import http.cookiejar
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from html.parser import HTMLParser

ROLES = ("command", "township", "secretary", "mayor", "village", "helper", "department", "inspector", "admin")
PASSWORD = "Fupin-2026"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SmokeFailure(AssertionError):
    pass


def check(condition, message):
    if not condition:
        raise SmokeFailure(message)


class NavLinks(HTMLParser):
    """The href of every link inside the page's <nav>."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "nav":
            self.depth += 1
        elif tag == "a" and self.depth:
            href = dict(attrs).get("href")
            if href and href.startswith("/"):
                self.links.append(href)

    def handle_endtag(self, tag):
        if tag == "nav" and self.depth:
            self.depth -= 1


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Session:
    """One browser: a cookie jar; every response is recorded, a 5xx fails the run."""

    def __init__(self, base_url, log):
        self.base = base_url.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())
        self.log = log

    def request(self, path, data=None, headers=None, follow=True):
        url = path if path.startswith("http") else self.base + path
        for _ in range(10):
            req = urllib.request.Request(
                url, data=data, headers={"Referer": self.base + "/", **(headers or {})}
            )
            try:
                with self.opener.open(req, timeout=120) as resp:
                    status, body, resp_headers = resp.status, resp.read(), resp.headers
            except urllib.error.HTTPError as exc:
                status, body, resp_headers = exc.code, exc.read(), exc.headers
            self.log.append((status, req.get_method(), url))
            check(status < 500, f"{status} on {req.get_method()} {url}: {body[:300]!r}")
            if follow and status in (301, 302, 303) and resp_headers.get("Location"):
                url = urllib.parse.urljoin(url, resp_headers["Location"])
                data = None
                continue
            return status, body, resp_headers, url
        raise SmokeFailure(f"too many redirects from {path}")

    def get(self, path, **kwargs):
        return self.request(path, **kwargs)

    def csrf(self):
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def post(self, path, fields, files=None, follow=True):
        fields = {"csrfmiddlewaretoken": self.csrf(), **fields}
        if files:
            body, content_type = _multipart(fields, files)
        else:
            body, content_type = urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded"
        return self.request(path, data=body, headers={"Content-Type": content_type}, follow=follow)

    def login(self, username):
        self.get("/accounts/login/")
        status, body, _, url = self.post("/accounts/login/", {"username": username, "password": PASSWORD})
        check(urllib.parse.urlparse(url).path == "/", f"{username} could not log in (ended on {url})")
        return body.decode()


def _multipart(fields, files):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, content, content_type) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def menu_pages(base_url, log):
    pages = 0
    for role in ROLES:
        session = Session(base_url, log)
        home = session.login(role)
        parser = NavLinks()
        parser.feed(home)
        links = list(dict.fromkeys(parser.links))
        check(len(links) >= 3, f"{role}: the menu has only {links}")
        for link in links:
            status, _body, _headers, url = session.get(link)
            check(status == 200, f"{role}: {link} answered {status} (at {url})")
            pages += 1
        print(f"  {role}: {len(links)} menu pages, all 200")
    return pages


def static_file(base_url, log):
    session = Session(base_url, log)
    _status, body, _headers, _url = session.get("/accounts/login/")
    href = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', body.decode())
    check(href, "the login page does not link the hashed site.css of the manifest storage")
    status, css, headers, _url = session.get(href.group(1), headers={"Accept-Encoding": "gzip"})
    check(status == 200 and css, f"{href.group(1)} answered {status}")
    check("max-age=315360000" in headers.get("Cache-Control", ""), "whitenoise did not serve it as immutable")
    print(
        f"  static: {href.group(1)} ({headers.get('Content-Encoding', 'identity')},"
        f" {headers['Cache-Control']})"
    )


def wait_json(session, path, done, seconds=300):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        _status, body, _headers, _url = session.get(path, headers={"Accept": "application/json"})
        data = json.loads(body)
        if done(data):
            return data
        time.sleep(1)
    raise SmokeFailure(f"{path} did not finish in {seconds} s: {data}")


def household_import(base_url, log):
    session = Session(base_url, log)
    session.login("command")
    _status, workbook, headers, _url = session.get("/households/export/")
    check(headers.get_content_type() == XLSX, "the register export is not a workbook")
    workbook = _consistent_households(workbook)
    session.get("/households/imports/new/")
    _status, _body, _headers, url = session.post(
        "/households/imports/new/",
        {"update_existing": "on"},
        files={"file": ("smoke.xlsx", workbook, XLSX)},
    )
    match = re.search(r"/households/imports/(\d+)/$", url)
    check(match, f"the upload did not lead to a batch page but to {url}")
    batch = f"/households/imports/{match.group(1)}/"
    checked = wait_json(session, batch + "progress/", lambda d: not d["running"])
    check(checked["status"] == "valid", f"the worker's check ended {checked}")
    session.post(batch + "confirm/", {})
    imported = wait_json(session, batch + "progress/", lambda d: not d["running"])
    check(imported["status"] == "imported", f"the worker's import ended {imported}")
    print(
        f"  import: batch {match.group(1)} checked and imported by the worker"
        f" ({imported['households']} households)"
    )


def _consistent_households(workbook: bytes) -> bytes:
    """The export less the households whose 家庭人口数 differs from their rows: the demo seeds a few
    such flaws for the logic checks, and the import refuses them."""
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(workbook))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header_index = next(i for i, row in enumerate(rows[:20]) if "户编号" in row and "家庭人口数" in row)
    number_col, size_col = rows[header_index].index("户编号"), rows[header_index].index("家庭人口数")
    members = {}
    for row in rows[header_index + 1 :]:
        if row[number_col]:
            members.setdefault(row[number_col], []).append(row)
    flawed = {number for number, group in members.items() if str(group[0][size_col]) != str(len(group))}
    for index in range(len(rows), header_index + 1, -1):  # 1-based sheet rows, bottom up
        if rows[index - 1][number_col] in flawed:
            sheet.delete_rows(index)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ledger_export(base_url, log):
    session = Session(base_url, log)
    session.login("command")
    _status, _body, _headers, url = session.get("/rectification/export/")
    match = re.search(r"/rectification/export/(\d+)/$", url)
    check(match, f"the ledger export did not start a worker job (ended on {url}); lower the sync limit")
    job = f"/rectification/export/{match.group(1)}/"
    done = wait_json(session, job + "progress/", lambda d: d["state"] in ("done", "failed"))
    check(done["state"] == "done", f"the worker's export ended {done}")
    status, data, headers, _url = session.get(job + "download/")
    check(status == 200 and data[:2] == b"PK", "the exported workbook could not be downloaded")
    print(
        f"  export: job {match.group(1)} written by the worker ({done['total']} items, {len(data):,} bytes)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    args = parser.parse_args()
    log = []
    started = time.monotonic()
    try:
        pages = menu_pages(args.base_url, log)
        static_file(args.base_url, log)
        household_import(args.base_url, log)
        ledger_export(args.base_url, log)
    except SmokeFailure as exc:
        print(f"SMOKE FAILED: {exc}", file=sys.stderr)
        return 1
    server_errors = [entry for entry in log if entry[0] >= 500]
    print(
        f"smoke passed: {len(ROLES)} roles, {pages} menu pages, {len(log)} requests, "
        f"{len(server_errors)} 5xx, {time.monotonic() - started:.0f} s"
    )
    return 1 if server_errors else 0


if __name__ == "__main__":
    sys.exit(main())
