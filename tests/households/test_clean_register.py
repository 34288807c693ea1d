"""A clean register, written by hand with openpyxl, imported and scanned raises no error.

The first test is the EX-010 case of issue 12: the importer left household_type at its
default 贫困户 whatever 贫困户状态 said, so every exited household tripped EX-010.
"""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from households.models import Household, Violation

from .clean_register import HEADERS, RegisterBuilder, realistic_register, workbook_bytes

pytestmark = pytest.mark.django_db


def import_file(tmp_path, data: bytes) -> None:
    path = tmp_path / "register.xlsx"
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_households", str(path), "--create-regions", stdout=out, stderr=err)
    except SystemExit:
        pytest.fail(err.getvalue())
    assert "已导入" in out.getvalue(), err.getvalue()


def scan_errors() -> list[str]:
    call_command("run_checks", stdout=io.StringIO())
    open_errors = Violation.objects.filter(severity="E", resolved_at__isnull=True)
    return sorted(
        f"{v.rule_id} {v.household.number} {v.message}" for v in open_errors.select_related("household")
    )


def small_register(today):
    """Six households: four exited (已脱贫), two not."""
    b = RegisterBuilder(today)
    for n in range(6):
        head_age = 40 + 3 * n
        members = [b.person("户主", True, head_age), b.person("配偶", False, head_age - 2)]
        members += b.children(n % 3, head_age)
        b.add(members, exited=n < 4, cause="缺资金", measures=["产业帮扶", "金融帮扶"])
    return b


def test_clean_register_with_exited_households_raises_no_error(tmp_path):
    today = timezone.localdate()
    builder = small_register(today)
    import_file(tmp_path, workbook_bytes(builder.rows(), export_date=today))
    assert Household.objects.filter(exit_status="1").count() == 4
    errors = scan_errors()
    assert not errors, "\n".join(errors)


def test_households_stored_before_get_the_type_their_status_implies(db):
    """The 0008 data step: imported households left at 贫困户 while 已脱贫 become 脱贫户."""
    import importlib

    from django.apps import apps

    from tests.factories import HouseholdFactory

    migration = importlib.import_module("households.migrations.0008_household_type_unrecorded")
    exited = HouseholdFactory(exit_status="1", household_type="1")
    poor = HouseholdFactory(exit_status="0", household_type="2")
    farmer = HouseholdFactory(exit_status="0", household_type="3")
    migration.align_types(apps, None)
    for household, expected in ((exited, "2"), (poor, "1"), (farmer, "3")):
        household.refresh_from_db()
        assert household.household_type == expected


def test_realistic_clean_register_raises_no_error(tmp_path):
    """80 households of every kind, blank optional columns included (DOMAIN.md §9's blank policy)."""
    today = timezone.localdate()
    builder = realistic_register(today)
    import_file(tmp_path, workbook_bytes(builder.rows(), export_date=today))
    assert Household.objects.count() == 80
    errors = scan_errors()
    assert not errors, "\n".join(errors)


def test_planted_mistakes_in_the_same_register_are_still_reported(tmp_path):
    """The blank policy silences unrecorded inputs, not real mistakes."""
    today = timezone.localdate()
    builder = realistic_register(today, households=20)
    schooling = builder.households[2]  # 因学: the youngest is 13, in 八年级
    schooling[-1]["在校生状况"] = ""
    not_exited = next(h for h in builder.households if h[0]["贫困户状态"] == "未脱贫")
    for row in not_exited:
        row["帮扶责任人"] = row["帮扶责任人联系电话"] = ""
    import_file(tmp_path, workbook_bytes(builder.rows(), export_date=today))
    found = {(e.split()[0], e.split()[1]) for e in scan_errors()}
    assert ("MB-012", schooling[0]["户编号"]) in found
    assert ("VS-001", not_exited[0]["户编号"]) in found


ABSENT = [
    "帮扶措施",
    "帮扶责任人",
    "帮扶责任人联系电话",
    "在校生状况",
    "民族",
    "健康状况",
    "劳动技能",
    "务工状况",
    "务工时间(月)",
    "是否享受低保",
    "是否特困供养",
    "饮水是否安全",
    "是否通生活用电",
    "是否危房户",
]


def test_columns_absent_from_the_file_leave_their_checks_silent(tmp_path):
    """No 帮扶措施 or 帮扶责任人 column (as in the national roster), no 在校生状况: nothing to report."""
    today = timezone.localdate()
    builder = realistic_register(today, households=20)
    headers = [h for h in HEADERS if h not in ABSENT]
    import_file(tmp_path, workbook_bytes(builder.rows(), export_date=today, headers=headers))
    assert {"measures", "helper", "student_status"} <= Household.objects.first().unrecorded_fields
    errors = scan_errors()
    assert not errors, "\n".join(errors)


def test_a_field_the_form_shows_is_recorded_from_then_on(tmp_path, users):
    """Saved through the form with the helper left blank, VS-001 reports the household again."""
    from households.services.register import household_update

    today = timezone.localdate()
    builder = realistic_register(today, households=10)
    headers = [h for h in HEADERS if h not in ABSENT]
    import_file(tmp_path, workbook_bytes(builder.rows(), export_date=today, headers=headers))
    household = Household.objects.filter(exit_status="0", import_batch__isnull=False).first()
    assert not any(e.startswith(f"VS-001 {household.number}") for e in scan_errors())
    from households.services.register import RegisterInvalid

    try:
        household_update(
            household=household,
            user=users["command"],
            data={"helper_name": ""},
            members=[{"id": m.pk} for m in household.members.all()],
        )
    except RegisterInvalid as exc:
        pytest.fail(f"{dict(exc.household)} {[dict(v) for v in exc.members.values()]}")
    assert "helper" not in Household.objects.get(pk=household.pk).unrecorded_fields
    assert any(e.startswith(f"VS-001 {household.number}") for e in scan_errors())
