import datetime

import pytest

from petitions import services
from rectification.models import Category
from tests.factories import DepartmentFactory, UserFactory
from tests.households.checks.conftest import family  # noqa: F401  (PT rules run over it)
from tests.rectification.conftest import ensure_ledger_defaults


@pytest.fixture(autouse=True)
def petition_defaults(request):
    """Code lists vanish after a transactional (browser) test flushes the tables."""
    if "db" in request.fixturenames or "transactional_db" in request.fixturenames:
        from povertycase.core import codes
        from povertycase.core.loading import load_code_lists
        from povertycase.core.models import CodeList, Parameter

        ensure_ledger_defaults()
        if not CodeList.objects.filter(list="petition_channel").exists():
            load_code_lists(CodeList, Parameter)
        codes.clear_cache()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def petition_data(**overrides):
    data = {
        "channel": "01",
        "date": datetime.date.today() - datetime.timedelta(days=2),
        "complainant_name": "罗大明",
        "complainant_phone": "13812345678",
        "category": Category.objects.get(code="0701"),
        "content": "房屋漏雨，申请危房改造未获答复。",
    }
    data.update(overrides)
    return data


@pytest.fixture
def other_department(db):
    return DepartmentFactory(code="D-WATER", name="水利局")


@pytest.fixture
def other_dept_user(other_department):
    return UserFactory(username="dept2", role="department", department=other_department)


@pytest.fixture
def petition(users, county_layout):
    """Registered by township 1 on its household v11, handled by township 1."""
    return services.petition_register(
        user=users["township"], data=petition_data(), households=[county_layout["households"]["v11"]]
    )
