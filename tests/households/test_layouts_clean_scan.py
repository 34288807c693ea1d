"""Issue 12: a clean register in the national roster or the monitoring export, imported and scanned
in full, raises no error-level violation: what a layout does not carry is never reported missing."""

import pytest

from households.models import Household

from .test_clean_register import import_file, scan_errors
from .test_import_layouts import monitoring_rows, monitoring_workbook, roster_rows, roster_workbook

pytestmark = pytest.mark.django_db


def test_clean_roster_raises_no_error_after_a_full_scan(tmp_path):
    rows = roster_rows() + roster_rows("4115291012010002", size=1) + roster_rows("4115291012010004")
    import_file(tmp_path, roster_workbook(rows))
    assert Household.objects.count() == 3
    assert scan_errors() == []


def test_clean_monitoring_export_raises_no_error_after_a_full_scan(tmp_path):
    rows = monitoring_rows() + monitoring_rows("4115291012010005")
    import_file(tmp_path, monitoring_workbook(rows))
    assert Household.objects.count() == 2
    assert scan_errors() == []


def test_a_planted_mistake_in_a_roster_is_still_reported(tmp_path):
    rows = roster_rows()
    for row in rows:  # an exited household without safe water
        row["是否解决安全饮用水"] = "否"
    import_file(tmp_path, roster_workbook(rows))
    assert any(error.split()[0].startswith("EX") for error in scan_errors())


def test_a_roster_update_keeps_what_an_earlier_register_recorded(tmp_path):
    """Fields the roster lacks stay recorded on a household the canonical register filled in."""
    import datetime
    import io

    from django.core.management import call_command

    from .clean_register import RegisterBuilder, workbook_bytes

    today = datetime.date.today()
    builder = RegisterBuilder(today)
    builder.add([builder.person("户主", True, 50)], exited=True, cause="缺资金", measures=["产业帮扶"])
    import_file(tmp_path, workbook_bytes(builder.rows(), export_date=today))
    household = Household.objects.get()
    assert household.unrecorded_fields == set()
    rows = roster_rows(household.number, size=1)
    for row in rows:
        row.update({"行政村": household.village.name, "乡(镇)": household.village.township.name})
    path = tmp_path / "roster.xlsx"
    path.write_bytes(roster_workbook(rows))
    call_command("import_households", str(path), "--update-existing", stdout=io.StringIO())
    household.refresh_from_db()
    assert household.import_batch.layout == "roster"
    assert {"measures", "helper", "attribute"}.isdisjoint(household.unrecorded_fields)
