"""The benchmark harness (tests/bench) stays runnable: each bench on a tiny demo county."""

import datetime

import pytest

from households import demo
from tests.bench import bench_export, bench_import, bench_list, report


@pytest.fixture
def tiny_county(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    demo.build_demo(households=40, seed=11, as_of=datetime.date.today())


def _figures(bench, name, capsys) -> str:
    bench.run(report.Report(name))
    return capsys.readouterr().out


def test_list_bench_measures_time_and_queries(tiny_county, capsys, monkeypatch):
    monkeypatch.setattr(bench_list, "REQUESTS", 3)
    out = _figures(bench_list, "list", capsys)
    assert "median time" in out and "queries per request" in out


def test_export_bench_compares_with_bare_xlsxwriter(tiny_county, capsys, monkeypatch):
    monkeypatch.setattr(bench_export, "SIZES", (10, 40))
    monkeypatch.setattr(bench_export, "PEAK_METHOD", "tracemalloc")  # a child would not see the test's data
    out = _figures(bench_export, "export", capsys)
    assert "time ratio at 40 households" in out and "peak growth 10 -> 40" in out


def test_import_bench_imports_and_rolls_back(tiny_county, capsys, monkeypatch):
    from households.models import Household, Member

    monkeypatch.setattr(bench_import, "HOUSEHOLDS", 20)
    before = (Household.objects.count(), Member.objects.count())
    out = _figures(bench_import, "import", capsys)
    assert "status imported, 0 created, 20 updated, 0 errors" in out
    assert "status imported, 20 created, 0 updated, 0 errors" in out
    assert (Household.objects.count(), Member.objects.count()) == before
