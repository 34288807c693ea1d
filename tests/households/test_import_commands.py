"""manage.py import_households / export_households."""

import io
import json

import pytest
from django.core.management import call_command

from households.models import County, Household, Member
from tests.households.workbooks import household_rows, workbook_bytes

pytestmark = pytest.mark.django_db


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_households", str(path), *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def good_file(tmp_path, county_layout):
    path = tmp_path / "good.xlsx"
    path.write_bytes(workbook_bytes(household_rows(size=3) + household_rows(number="4115291012010002")))
    return path


def test_import(good_file):
    code, out, _err = run(good_file)
    assert code == 0 and "已导入 2 户 5 人" in out
    assert Household.objects.filter(number="4115291012010002").exists()
    assert Household.history.filter(number="4115291012010002").first().history_user is None


def test_dry_run_writes_nothing(good_file):
    code, out, _err = run(good_file, "--dry-run", "--json")
    assert code == 0
    payload = json.loads(out)
    assert {k: payload[k] for k in ("households", "members", "errors", "layout")} == {
        "households": 2,
        "members": 5,
        "errors": [],
        "layout": "canonical",
    }
    assert not Household.objects.filter(number="4115291012010002").exists()


def test_errors_exit_1_and_import_nothing(tmp_path, county_layout):
    rows = household_rows(size=3)
    rows[1]["证件号码"] = "411529197008050000"
    path = tmp_path / "bad.xlsx"
    path.write_bytes(workbook_bytes(rows))
    code, out, _err = run(path, "--json")
    assert code == 1
    payload = json.loads(out)
    assert payload["households"] == 1 and payload["members"] == 3
    assert payload["errors"] == [{"row": 5, "column": "证件号码", "message": payload["errors"][0]["message"]}]
    assert payload["errors"][0]["message"].startswith("证件号码有误")
    assert not Member.objects.filter(id_number=rows[0]["证件号码"]).exists()


def test_plain_output_of_errors(tmp_path, county_layout):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(workbook_bytes(household_rows(township="无此镇")))
    code, _out, err = run(path)
    assert code == 1 and "第4行 “乡(镇)” 乡(镇)“无此镇”在青山县不存在" in err


def test_create_regions(tmp_path, db):
    path = tmp_path / "new.xlsx"
    path.write_bytes(workbook_bytes(household_rows()))
    code, out, _err = run(path, "--json")
    assert code == 1 and json.loads(out)["errors"][0]["message"] == "县“青山县”不在系统中"
    code, out, _err = run(path, "--create-regions", "--json")
    assert code == 0 and json.loads(out)["errors"] == []
    assert County.objects.get().townships.get().villages.get().name == "青石村"


def test_update_existing(good_file):
    assert run(good_file)[0] == 0
    code, out, _err = run(good_file, "--json")
    assert code == 1 and {e["row"] for e in json.loads(out)["errors"]} == {4, 7}
    assert run(good_file, "--update-existing")[0] == 0


def test_not_an_xlsx(tmp_path, db):
    path = tmp_path / "x.csv"
    path.write_text("户编号,姓名\n")
    code, out, _err = run(path, "--json")
    assert code == 1 and "只能导入 .xlsx" in json.loads(out)["errors"][0]["message"]
