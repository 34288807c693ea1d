import datetime

import pytest

from inspections import services
from tests.rectification.conftest import ensure_ledger_defaults


@pytest.fixture(autouse=True)
def ledger_defaults(request):
    if "db" in request.fixturenames or "transactional_db" in request.fixturenames:
        ensure_ledger_defaults()


@pytest.fixture
def inspection(county_layout, users):
    t1, t2 = county_layout["townships"]
    return services.inspection_create(
        user=users["inspector"],
        title="第一轮暗访",
        kind="unannounced",
        start_date=datetime.date(2026, 11, 2),
        end_date=datetime.date(2026, 11, 6),
        townships=[t1, t2],
    )


@pytest.fixture
def finding(inspection, county_layout, users):
    return services.finding_record(
        user=users["inspector"],
        inspection=inspection,
        level="village",
        village=county_layout["villages"]["v11"],
        responsible_person="王立新",
        text="青石村3户饮水间歇供水，村级未建立台账。",
    )
