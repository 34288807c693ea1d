"""export_households --layout roster|canonical: each layout imports back unchanged."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from households.excel import parse_register
from households.models import Household, Member, MonitoringCase
from households.services.import_write import CASE_FIELDS
from tests.households.test_import_layouts import roster_rows, roster_workbook

pytestmark = pytest.mark.django_db

HOUSEHOLD_FIELDS = ["number", "village_id", "household_type", "exit_status", "member_count", "main_cause",
                    "identified_month", "is_dangerous_house", "water_safe", "phone", "attribute"]  # fmt: skip
MEMBER_FIELDS = ["id_number", "name", "relation", "sex", "birth_date", "ethnicity", "education", "health",
                 "labour", "work_months", "serious_illness_insurance", "phone", "disability_cert",
                 "disability_category", "disability_grade", "person_number"]  # fmt: skip


def state():
    households = list(Household.objects.order_by("number").values(*HOUSEHOLD_FIELDS))
    members = list(Member.objects.order_by("id_number").values(*MEMBER_FIELDS))
    cases = list(MonitoringCase.objects.order_by("pk").values("pk", *CASE_FIELDS))
    return households, members, cases


def command(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except SystemExit as exc:
        assert exc.code == 0, out.getvalue() + err.getvalue()
    return out.getvalue()


@pytest.mark.parametrize("layout", ["roster", "canonical"])
def test_round_trip(tmp_path, county_layout, layout):
    Household.objects.all().delete()
    source = tmp_path / "roster.xlsx"
    rows = roster_rows(disabled_suffix="43") + roster_rows("4115291012010002", size=1)
    for row in rows[2:]:
        row.update(
            {"易返贫致贫户(监测对象)类型": "边缘易致贫户", "风险是否消除": "否", "风险识别时间": "2021-05-17"}
        )
    source.write_bytes(roster_workbook(rows))
    command("import_households", str(source))
    before = state()
    assert before[2] and before[2][0]["identified_on"] == datetime.date(2021, 5, 17)
    exported = tmp_path / f"export-{layout}.xlsx"
    command("export_households", str(exported), "--layout", layout)
    register = parse_register(exported.read_bytes())
    assert register.layout == layout
    if layout == "roster":  # the canonical layout needs 贫困户属性, which a roster never had
        assert register.errors == []
        command("import_households", str(exported), "--update-existing")
        assert state() == before


def test_list_page_exports_the_roster(client, county_layout, django_user_model):
    user = django_user_model.objects.create_superuser("boss", password="x")
    client.force_login(user)
    response = client.get(reverse("households:household_list"))
    assert "layout=roster" in response.content.decode()
    response = client.get(reverse("households:household_export") + "?layout=roster")
    assert response.status_code == 200
    register = parse_register(b"".join(response.streaming_content))
    assert register.layout == "roster" and register.errors == []
