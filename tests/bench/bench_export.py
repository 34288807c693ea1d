"""Register export at 10k and 50k households: write_register against a bare xlsxwriter write
of the same rows (already in memory), and write_register's peak memory at both sizes
(growth of the peak resident set in a forked child; tracemalloc where fork is missing)."""

import gc
import os
import tempfile
import time
import tracemalloc
from functools import partial
from pathlib import Path

import xlsxwriter
from django.db import connections
from django.utils import timezone

from households.models import Household

SIZES = (10_000, 50_000)
MAX_RATIO = 1.25
FLAT_FACTOR = 1.5  # peak at the largest size may exceed the smallest by at most this factor


def run(report) -> None:
    try:
        from households.excel import write_register
    except ImportError:
        report.skip("export", "households.excel.write_register is not there yet")
        return
    total = Household.objects.count()
    sizes = sorted({min(size, total) for size in SIZES})
    peaks = {}
    with tempfile.TemporaryDirectory(prefix="povertycase-bench-") as folder:
        for size in sizes:
            peaks[size] = _measure(report, write_register, size, Path(folder))
    if len(peaks) > 1:
        small, large = peaks[sizes[0]], peaks[sizes[-1]]
        growth = large / small
        report.figure(
            f"peak growth {sizes[0]} -> {sizes[-1]}",
            f"{growth:.2f}x",
            f"<= {FLAT_FACTOR}x (flat)",
            growth <= FLAT_FACTOR,
        )


def _measure(report, write_register, size: int, folder: Path) -> float:
    """Report the time ratio at `size` households; return write_register's peak memory (MB)."""
    export = partial(
        write_register,
        _first(size),
        folder / f"register-{size}.xlsx",
        title_county="青山县",
        exported_at=timezone.now(),
    )
    seconds, rows = _timed(export)
    data = _read_back(folder / f"register-{size}.xlsx")
    bare = _timed(partial(_bare_write, data, folder / f"bare-{size}.xlsx"))[0]
    del data
    ratio = seconds / bare
    report.note(
        f"{size} households, {rows} member rows: write_register {seconds:.1f} s, bare xlsxwriter {bare:.1f} s"
    )
    report.figure(f"time ratio at {size} households", f"{ratio:.2f}x", f"<= {MAX_RATIO}x", ratio <= MAX_RATIO)
    peak = PEAK_METHODS[PEAK_METHOD](export)
    report.figure(f"peak memory at {size} households", f"{peak:.1f} MB", f"flat ({PEAK_METHOD})", None)
    return peak


def _first(size: int):
    """The first `size` households by primary key, as a queryset the export may order itself."""
    last_pk = Household.objects.order_by("pk").values_list("pk", flat=True)[size - 1]
    return Household.objects.filter(pk__lte=last_pk)


def _timed(work):
    gc.collect()
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def _traced_peak_mb(work) -> float:
    """Peak of Python allocations during `work` (slows it several times over)."""
    gc.collect()
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def _rss_peak_mb(work) -> float:
    """Growth of the peak resident set while `work` runs in a forked child, at full speed."""
    connections.close_all()  # the child opens its own connection
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        try:
            os.close(read)
            start = _status_kb("VmRSS")
            work()
            os.write(write, str((_status_kb("VmHWM") - start) / 1024).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        answer = pipe.read()
    os.waitpid(pid, 0)
    return float(answer)


def _status_kb(key: str) -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(key + ":"))


# rss needs fork and /proc (Linux) and committed data; the smoke test uses tracemalloc.
PEAK_METHODS = {"rss": _rss_peak_mb, "tracemalloc": _traced_peak_mb}
PEAK_METHOD = "rss" if hasattr(os, "fork") and os.path.exists("/proc/self/status") else "tracemalloc"


def _read_back(path: Path) -> list[list]:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    return workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)


def _bare_write(rows: list[list], path: Path) -> None:
    """The floor: the same cells, no formats, no lookups, constant_memory."""
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("建档立卡贫困人口")
    for index, row in enumerate(rows):
        sheet.write_row(index, 0, row)
    workbook.close()
