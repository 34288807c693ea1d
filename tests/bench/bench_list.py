"""The filtered household list as the command office sees it: server time and query count."""

import statistics
import time

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from households.models import Township

REQUESTS = 20
TARGET_MS = 100
MAX_QUERIES = 12
BACKEND = "django.contrib.auth.backends.ModelBackend"


def run(report) -> None:
    try:
        url = reverse("households:household_list")
    except NoReverseMatch:
        report.skip("list page", "households:household_list is not there yet")
        return
    client = Client()
    client.force_login(get_user_model().objects.get(username="command"), backend=BACKEND)
    township = Township.objects.order_by("code").first()
    params = {"township": township.pk, "attribute": "2", "q": "王"}
    report.note(f"GET {url} township={township.name} attribute=低保贫困户 q=王 as `command`")
    for _ in range(3):  # warm caches: code lists, templates, connection
        _get(client, url, params)
    timings = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        _get(client, url, params)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        _get(client, url, params)
    median = statistics.median(timings)
    report.figure(
        f"median time over {REQUESTS} requests", f"{median:.1f} ms", f"< {TARGET_MS} ms", median < TARGET_MS
    )
    report.figure("slowest request", f"{max(timings):.1f} ms", "(information)", None)
    report.figure("queries per request", str(len(queries)), f"<= {MAX_QUERIES}", len(queries) <= MAX_QUERIES)


def _get(client: Client, url: str, params: dict) -> None:
    response = client.get(url, params)
    if response.status_code != 200:
        raise AssertionError(f"{url} answered {response.status_code}")
