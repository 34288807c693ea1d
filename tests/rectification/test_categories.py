"""The default taxonomy is there after migrating; a county imports its own."""

import io
import json

import openpyxl
import pytest
from django.core.management import call_command

from povertycase.core import codes
from rectification.models import Category
from rectification.taxonomy import SOURCES, TAXONOMY

pytestmark = pytest.mark.django_db


def test_default_taxonomy_and_sources():
    assert Category.objects.filter(parent__isnull=True).count() == len(TAXONOMY)
    assert Category.objects.get(code="0702").full_name == "住房安全／危改不彻底"
    assert [c.label for c in codes.entries("rect_source")] == [s[1] for s in SOURCES]
    assert codes.lookup("rect_source", "巡视回头看") == "01"


def _book(rows):
    wb = openpyxl.Workbook()
    wb.active.append(["一级代码", "一级名称", "二级代码", "二级名称"])
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_import_categories_command(tmp_path, capsys):
    path = tmp_path / "cats.xlsx"
    path.write_bytes(_book([["20", "脱贫人口务工", "2001", "务工就业"], ["07", "住房安全保障", "", ""]]))
    call_command("import_categories", str(path), "--json")
    assert json.loads(capsys.readouterr().out)["created"] == 2
    assert Category.objects.get(code="2001").parent.name == "脱贫人口务工"
    assert Category.objects.get(code="07").name == "住房安全保障"
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(_book([["21", "", "2101", ""], ["22", "其他", "2201", ""]]))
    with pytest.raises(SystemExit):
        call_command("import_categories", str(bad), "--json")
    assert [e["row"] for e in json.loads(capsys.readouterr().out)["errors"]] == [2, 2, 3]
    assert not Category.objects.filter(code__in=["21", "22"]).exists()
