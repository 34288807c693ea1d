"""Confirming an import re-checks the register as it is now: a batch checked against an older
register is refused, names what changed since, and applies nothing."""

import pytest

from households.models import Household, ImportBatch
from households.services.imports import import_batch_apply, import_batch_create, import_batch_validate
from tests.form_pages import named
from tests.households.test_import_service import run, upload
from tests.households.workbooks import household_rows, workbook_bytes

pytestmark = pytest.mark.django_db
NUMBER = "4115291012010001"


def checked(user, rows):
    batch = import_batch_create(user=user, uploaded_file=upload(workbook_bytes(rows)), update_existing=True)
    import_batch_validate(batch=batch)
    assert batch.status == ImportBatch.Status.VALID, batch.errors
    return batch


def confirm(batch, user):
    import_batch_apply(batch=batch, user=user)
    batch.refresh_from_db()
    return batch


def helper_named(name):
    return [{**row, "帮扶责任人": name} for row in household_rows(size=2)]


def test_two_batches_checked_against_the_same_register_cannot_both_apply(users):
    first_cadre = named(users["township"], "李", "文斌")
    assert run(users["command"], workbook_bytes(household_rows(size=2))).status == ImportBatch.Status.IMPORTED
    a = checked(first_cadre, helper_named("张甲"))
    b = checked(users["command"], helper_named("王乙"))

    assert confirm(a, first_cadre).status == ImportBatch.Status.IMPORTED
    b = confirm(b, users["command"])

    assert b.status == ImportBatch.Status.INVALID
    assert [e["code"] for e in b.errors] == ["changed_since_check"]
    assert NUMBER in b.errors[0]["message"] and "李文斌" in b.errors[0]["message"]
    assert Household.objects.get(number=NUMBER).helper_name == "张甲"
    assert not b.touched.exists()


def test_a_number_registered_since_the_check_is_refused(users):
    a = checked(named(users["township"], "李", "文斌"), helper_named("张甲"))
    b = checked(users["command"], helper_named("王乙"))
    assert (a.created_count, b.created_count) == (1, 1)

    assert confirm(a, users["township"]).status == ImportBatch.Status.IMPORTED
    b = confirm(b, users["command"])

    assert b.status == ImportBatch.Status.INVALID
    assert "登记" in b.errors[0]["message"] and "李文斌" in b.errors[0]["message"]
    assert Household.objects.filter(number=NUMBER).count() == 1
    assert Household.objects.get(number=NUMBER).helper_name == "张甲"


def test_an_edit_on_the_household_page_after_the_check_refuses_the_batch(users):
    run(users["command"], workbook_bytes(household_rows(size=2)))
    batch = checked(users["command"], helper_named("王乙"))
    household = Household.objects.get(number=NUMBER)
    household.phone = "13911111111"
    household.save()

    batch = confirm(batch, users["command"])

    assert batch.status == ImportBatch.Status.INVALID
    household.refresh_from_db()
    assert household.helper_name != "王乙" and household.phone == "13911111111"


def test_a_batch_checked_after_the_last_change_applies(users):
    run(users["command"], workbook_bytes(household_rows(size=2)))
    batch = checked(users["command"], helper_named("王乙"))
    assert confirm(batch, users["command"]).status == ImportBatch.Status.IMPORTED
    assert Household.objects.get(number=NUMBER).helper_name == "王乙"
