"""Import batch lifecycle: dry run, all-or-nothing import, scope, update, rollback, locking."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from households.models import AssistanceMeasure, County, Household, ImportBatch, IncomeRecord, Member, Village
from households.services.imports import (
    import_batch_apply,
    import_batch_create,
    import_batch_rollback,
    import_batch_validate,
)
from povertycase.errors import DomainError
from tests.factories import MemberFactory, unique_id_number
from tests.households.workbooks import household_rows, workbook_bytes

pytestmark = pytest.mark.django_db

V11 = "411529101201"  # not a village code of the layout: numbers are opaque


def upload(data: bytes, name="register.xlsx"):
    return SimpleUploadedFile(name, data)


def two_households(**overrides):
    return household_rows(number="4115291012010001", **overrides) + household_rows(
        number="4115291012010002", size=3, **overrides
    )


def run(user, data, **options):
    batch = import_batch_create(user=user, uploaded_file=upload(data), **options)
    import_batch_validate(batch=batch)
    if batch.status == ImportBatch.Status.VALID:
        import_batch_apply(batch=batch, user=user)
    batch.refresh_from_db()
    return batch


def test_dry_run_writes_nothing(users):
    before = Household.objects.count()
    batch = import_batch_create(user=users["command"], uploaded_file=upload(workbook_bytes(two_households())))
    import_batch_validate(batch=batch)
    assert batch.status == ImportBatch.Status.VALID
    assert (batch.households_count, batch.members_count, batch.total_rows) == (2, 5, 5)
    assert batch.created_count == 2
    assert Household.objects.count() == before


def test_import_creates_households_members_income_and_measures(users):
    batch = run(users["command"], workbook_bytes(two_households()))
    assert batch.status == ImportBatch.Status.IMPORTED, batch.errors
    household = Household.objects.get(number="4115291012010002")
    assert household.head_name == "罗建国"
    assert household.village.name == "青石村"
    assert household.exit_status == "1" and household.exit_month == datetime.date(2019, 12, 1)
    assert household.other_cause_codes == ["07", "09"]
    assert household.member_count == 3
    members = list(household.members.order_by("seq"))
    assert [m.relation for m in members] == ["01", "02", "03"]
    assert members[0].birth_date == datetime.date(1968, 3, 12) and members[0].sex == "1"
    assert members[0].work_status == "2" and members[0].work_months == 6
    income = IncomeRecord.objects.get(household=household)
    assert income.year == 2020 and income.member_count_used == 3
    assert str(income.per_capita_income) == "5166.67"
    items = set(AssistanceMeasure.objects.filter(household=household).values_list("item", "category", "year"))
    assert items == {("01", "A01", 2020), ("05", "A07", 2020)}
    assert household.history.first().history_user == users["command"]
    assert Member.history.filter(household_id=household.pk).first().history_user == users["command"]
    assert batch.touched.count() == 2


def test_one_bad_row_writes_nothing(users):
    rows = two_households()
    rows[3]["证件号码"] = "411529199501090000"
    before = (Household.objects.count(), Member.objects.count())
    batch = run(users["command"], workbook_bytes(rows))
    assert batch.status == ImportBatch.Status.INVALID
    assert [(e["row"], e["column"]) for e in batch.errors] == [(7, "证件号码")]
    assert (Household.objects.count(), Member.objects.count()) == before


def test_apply_of_invalid_file_is_refused_and_writes_nothing(users):
    rows = two_households()
    rows[0]["性别"] = "女"
    batch = import_batch_create(user=users["command"], uploaded_file=upload(workbook_bytes(rows)))
    import_batch_apply(batch=batch, user=users["command"])
    assert batch.status == ImportBatch.Status.INVALID
    assert not Household.objects.filter(number="4115291012010001").exists()


def test_township_cadre_cannot_import_other_township(users):
    rows = household_rows(township="白云乡", village="白云村") + household_rows(number="4115291012010002")
    batch = run(users["township"], workbook_bytes(rows))
    assert batch.status == ImportBatch.Status.INVALID
    assert [(e["row"], e["code"]) for e in batch.errors] == [(4, "out_of_scope")]
    assert "不在您的管辖范围" in batch.errors[0]["message"]
    assert not Household.objects.filter(number="4115291012010002").exists()


def test_village_cadre_imports_own_village(users):
    batch = run(users["village"], workbook_bytes(household_rows()))
    assert batch.status == ImportBatch.Status.IMPORTED, batch.errors


def test_unknown_regions_are_errors_unless_created(users):
    rows = household_rows(township="新华镇", village="新华村")
    batch = run(users["command"], workbook_bytes(rows))
    assert [e["code"] for e in batch.errors] == ["unknown_region"]
    assert batch.errors[0]["message"] == "乡(镇)“新华镇”在青山县不存在"
    batch = run(users["command"], workbook_bytes(rows), create_regions=True)
    assert batch.status == ImportBatch.Status.IMPORTED, batch.errors
    village = Village.objects.get(name="新华村")
    assert village.township.name == "新华镇" and village.code == "411529101201"


def test_create_regions_makes_a_new_county(db):
    from tests.factories import TownshipFactory

    TownshipFactory()  # loads nothing else: the county 青山县 exists, 白水县 does not
    batch = run(
        None, workbook_bytes(household_rows(county="白水县", number="5115291012010001")), create_regions=True
    )
    assert batch.status == ImportBatch.Status.IMPORTED, batch.errors
    assert County.objects.get(name="白水县").code == "511529"


def test_existing_household_is_an_error_without_update(users):
    run(users["command"], workbook_bytes(household_rows()))
    batch = run(users["command"], workbook_bytes(household_rows()))
    assert {e["code"] for e in batch.errors} == {"household_exists"}
    assert batch.errors[0]["message"].startswith("户编号 4115291012010001 已在册")


def test_id_registered_in_other_households_is_an_error(users):
    head, spouse = MemberFactory(), MemberFactory(sex="2", id_number=unique_id_number(sex="2"))
    rows = household_rows()
    rows[0]["证件号码"], rows[1]["证件号码"] = head.id_number, spouse.id_number
    batch = run(users["command"], workbook_bytes(rows), update_existing=True)
    assert [(e["row"], e["code"]) for e in batch.errors] == [(4, "id_registered"), (5, "id_registered")]
    assert batch.errors[0]["message"] == f"证件号码已登记在户 {head.household.number}"


def test_update_matches_a_household_by_id_number(users):
    head = MemberFactory(household__village=Village.objects.get(name="青石村"))
    rows = household_rows()
    rows[0]["证件号码"] = head.id_number
    without = run(users["command"], workbook_bytes(rows))
    assert [e["code"] for e in without.errors] == ["household_exists"]
    batch = run(users["command"], workbook_bytes(rows), update_existing=True)
    assert batch.status == ImportBatch.Status.IMPORTED, batch.errors
    head.household.refresh_from_db()
    assert head.household.number == "4115291012010001" and head.household.members.count() == 2


def test_update_replaces_members_and_keeps_a_snapshot(users):
    original = household_rows(size=3)
    first = run(users["command"], workbook_bytes(original))
    household = Household.objects.get(number="4115291012010001")
    old_member_pks = set(household.members.values_list("pk", flat=True))
    rows = [{**row, "帮扶责任人": "李四", "家庭人口数": 2} for row in original[:2]]
    for row in rows:
        row["人均纯收入(元)"] = 7750.0
    second = run(users["township"], workbook_bytes(rows), update_existing=True)
    assert second.status == ImportBatch.Status.IMPORTED, second.errors
    assert (second.created_count, second.updated_count) == (0, 1)
    household.refresh_from_db()
    assert household.helper_name == "李四" and household.members.count() == 2
    # the two people still in the file keep their records (matched by ID); the third is gone
    assert set(household.members.values_list("pk", flat=True)) < old_member_pks
    assert Member.history.filter(history_type="-", household_id=household.pk).count() == 1
    touch = second.touched.get()
    assert touch.action == "updated" and touch.snapshot["household"]["helper_name"] == "张帮扶"
    assert len(touch.snapshot["members"]) == 3
    assert household.history.first().history_user == users["township"]
    assert first.touched.get().action == "created"


def test_rollback_of_created_households(users):
    batch = run(users["command"], workbook_bytes(two_households()))
    batch = import_batch_rollback(batch=batch, user=users["command"])
    assert batch.status == ImportBatch.Status.ROLLED_BACK
    assert not Household.objects.filter(number__in=["4115291012010001", "4115291012010002"]).exists()
    assert not Member.objects.filter(name="罗小军").exists()
    assert Household.history.filter(number="4115291012010001", history_type="-").exists()


def test_rollback_restores_an_updated_household(users):
    run(users["command"], workbook_bytes(household_rows(size=3)))
    household = Household.objects.get(number="4115291012010001")
    before = sorted(household.members.values_list("pk", "name", "id_number"))
    second = run(
        users["command"], workbook_bytes(household_rows(size=2, 联系电话="13700000000")), update_existing=True
    )
    import_batch_rollback(batch=second, user=users["command"])
    household.refresh_from_db()
    assert household.phone == "13900000002"
    assert sorted(household.members.values_list("pk", "name", "id_number")) == before
    assert household.incomes.get().member_count_used == 3


def test_rollback_refused_after_a_later_import_of_the_same_household(users):
    first = run(users["command"], workbook_bytes(household_rows()))
    second = run(users["command"], workbook_bytes(household_rows(帮扶责任人="李四")), update_existing=True)
    with pytest.raises(DomainError) as info:
        import_batch_rollback(batch=first, user=users["command"])
    assert info.value.message == f"之后导入的批次 #{second.pk} 修改了同一批户，请先撤销该批次"
    import_batch_rollback(batch=second, user=users["command"])
    import_batch_rollback(batch=first, user=users["command"])
    assert not Household.objects.filter(number="4115291012010001").exists()


def test_rollback_refused_for_a_batch_not_imported(users):
    batch = import_batch_create(user=users["command"], uploaded_file=upload(workbook_bytes(household_rows())))
    with pytest.raises(DomainError, match="只有已导入的批次才能撤销"):
        import_batch_rollback(batch=batch, user=users["command"])


def test_rollback_by_another_cadre_is_refused(users):
    batch = run(users["township"], workbook_bytes(household_rows()))
    with pytest.raises(DomainError):
        import_batch_rollback(batch=batch, user=users["village"])


def test_import_refused_while_another_batch_of_the_county_is_importing(users):
    county = County.objects.get(name="青山县")
    from django.core.cache import cache

    from households.services.imports import progress_key

    other = ImportBatch.objects.create(
        county=county, status=ImportBatch.Status.IMPORTING, original_name="x.xlsx"
    )
    cache.set(progress_key(other.pk), 40)
    batch = import_batch_create(user=users["command"], uploaded_file=upload(workbook_bytes(household_rows())))
    import_batch_validate(batch=batch)
    with pytest.raises(DomainError, match=f"青山县的批次 #{other.pk} 正在导入"):
        import_batch_apply(batch=batch, user=users["command"])
    assert not Household.objects.filter(number="4115291012010001").exists()
    cache.delete(progress_key(other.pk))  # its worker died long ago: no longer blocks
    import_batch_apply(batch=batch, user=users["command"])
    assert batch.status == ImportBatch.Status.IMPORTED


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "a.xlsx", "文件为空"),
        (b"name,id\n1,2\n", "a.xlsx", "只能导入 .xlsx 格式的 Excel 文件"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "a.xls", "只能导入 .xlsx 格式的 Excel 文件"),
        (b"PK\x03\x04garbage", "a.xlsx", "文件已损坏"),
    ],
)
def test_rejected_uploads(users, data, name, message):
    with pytest.raises(DomainError) as info:
        import_batch_create(user=users["command"], uploaded_file=SimpleUploadedFile(name, data))
    assert message in info.value.message
    assert not ImportBatch.objects.exists()


@override_settings(IMPORT_MAX_UPLOAD_BYTES=1000)
def test_oversized_upload_is_rejected(users):
    with pytest.raises(DomainError) as info:
        import_batch_create(user=users["command"], uploaded_file=upload(workbook_bytes(household_rows())))
    assert info.value.message == "文件超过 0 MB，请拆分后分批导入"


def test_helper_may_not_import(users):
    with pytest.raises(DomainError, match="无权导入"):
        import_batch_create(user=users["helper"], uploaded_file=upload(workbook_bytes(household_rows())))


def test_create_regions_needs_the_command_office(users):
    batch = import_batch_create(
        user=users["township"], uploaded_file=upload(workbook_bytes(household_rows())), create_regions=True
    )
    assert batch.create_regions is False


def test_import_batch_stores_progress(users):
    batch = run(users["command"], workbook_bytes(household_rows()))
    assert batch.progress == 100


def test_purge_stale_import_files(users):
    from datetime import timedelta

    from django.utils import timezone

    from households.tasks import purge_stale_import_files_task

    data = workbook_bytes(household_rows())
    old_invalid = import_batch_create(user=users["command"], uploaded_file=upload(data))
    old_imported = run(users["command"], data)
    recent = import_batch_create(user=users["command"], uploaded_file=upload(data))
    old = timezone.now() - timedelta(days=31)
    ImportBatch.objects.filter(pk__in=[old_invalid.pk, old_imported.pk]).update(created_at=old)
    paths = {b.pk: b.file.path for b in (old_invalid, old_imported, recent)}
    assert purge_stale_import_files_task() == 1
    import os

    assert not os.path.exists(paths[old_invalid.pk])
    assert os.path.exists(paths[old_imported.pk]) and os.path.exists(paths[recent.pk])
    old_invalid.refresh_from_db()
    assert not old_invalid.file
    assert purge_stale_import_files_task() == 0


def test_tasks_mark_the_batch_failed_on_unexpected_errors(users, monkeypatch):
    from households import tasks
    from households.services import imports

    batch = import_batch_create(user=users["command"], uploaded_file=upload(workbook_bytes(household_rows())))

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports, "parse_register", boom)
    tasks.validate_import_task(batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED and batch.message == "检查文件失败：disk full"
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.VALID)
    tasks.apply_import_task(batch.pk, users["command"].pk)
    batch.refresh_from_db()
    assert (
        batch.status == ImportBatch.Status.FAILED and batch.message == "导入失败，未保存任何数据：disk full"
    )


def test_apply_task_imports(users):
    from households import tasks

    batch = import_batch_create(user=users["command"], uploaded_file=upload(workbook_bytes(household_rows())))
    tasks.validate_import_task(batch.pk)
    tasks.apply_import_task(batch.pk, users["command"].pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED
    assert Household.objects.get(number="4115291012010001").history.first().history_user == users["command"]


def test_unknown_village_and_county_messages(users):
    rows = household_rows(village="无名村") + household_rows(number="4115291012010002", county="白水县")
    batch = run(users["command"], workbook_bytes(rows))
    assert [(e["row"], e["column"], e["message"]) for e in batch.errors] == [
        (4, "行政村", "行政村“无名村”在青石镇不存在"),
        (6, "县", "县“白水县”不在系统中"),
    ]


def test_village_cadre_cannot_update_a_household_outside_the_village(users):
    run(users["command"], workbook_bytes(household_rows(village="石门村")))
    batch = run(users["village"], workbook_bytes(household_rows()), update_existing=True)
    assert [e["message"] for e in batch.errors] == ["户 4115291012010001 不在您的管辖范围内，不能更新"]


def test_imported_batch_cannot_be_imported_again(users):
    batch = run(users["command"], workbook_bytes(household_rows()))
    with pytest.raises(DomainError, match="本批次当前状态不能导入"):
        import_batch_apply(batch=batch, user=users["command"])


def test_rollback_restores_members_updated_in_place(users):
    original = household_rows(size=3)
    run(users["command"], workbook_bytes(original))
    household = Household.objects.get(number="4115291012010001")
    before = sorted(household.members.values_list("pk", "name", "education", "seq"))
    rows = [{**row, "家庭人口数": 2, "人均纯收入(元)": 7750.0, "文化程度": "高中"} for row in original[:2]]
    rows[1]["姓名"] = "潘秀英"
    second = run(users["command"], workbook_bytes(rows), update_existing=True)
    assert sorted(household.members.values_list("name", "education")) == [("潘秀英", "50"), ("罗建国", "50")]
    import_batch_rollback(batch=second, user=users["command"])
    assert sorted(household.members.values_list("pk", "name", "education", "seq")) == before
    assert household.incomes.get(year=2020).member_count_used == 3
    assert Member.history.filter(history_type="~", name="潘秀兰").first().history_user == users["command"]


def test_rollback_task_stores_a_refusal_on_the_batch(users):
    from households import tasks

    batch = import_batch_create(user=users["command"], uploaded_file=upload(workbook_bytes(household_rows())))
    tasks.rollback_import_task(batch.pk, users["command"].pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.UPLOADED and batch.message == "只有已导入的批次才能撤销"
