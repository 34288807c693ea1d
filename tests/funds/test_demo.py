import datetime
import io
import json
import random

import pytest
from django.core.management import call_command

from funds.demo import seed_funds, wipe_funds
from funds.models import Asset, Beneficiary, Payment, Project, Status
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 6)


def test_demo_year_of_funds(county_layout, media):
    UserFactory(username="command", role="command")
    DepartmentFactory(name="财政局")
    result = seed_funds(rng=random.Random(1), today=TODAY)
    assert 60 <= result.projects == Project.objects.count() <= 120
    assert set(Project.objects.values_list("status", flat=True)) == set(Status.values)
    assert Project.objects.values("project_type").distinct().count() == 11
    assert Payment.objects.exists() and Beneficiary.objects.exists() and Asset.objects.exists()
    out = io.StringIO()
    call_command("funds_progress", "--year", "2026", "--as-of", TODAY.isoformat(), "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert len(data["by_source"]) == 9
    assert all(0 <= row["rate"] <= 1 for row in data["by_source"])
    rates = {row["rate"] for row in data["by_unit"] if row["rate"] is not None}
    assert len(rates) > 1  # units progress differently
    wipe_funds()
    assert not Project.objects.exists()
