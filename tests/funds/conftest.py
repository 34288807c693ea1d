import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from funds import services
from funds.models import Allocation, Project
from tests.factories import DepartmentFactory, UserFactory

YEAR = 2026
PDF = b"%PDF-1.4 evidence"


def ensure_funds_codes():
    """Data-migration rows vanish after a transactional (browser) test flushes the tables."""
    from funds.codes import load
    from povertycase.core import codes
    from povertycase.core.models import CodeList, Parameter

    if not CodeList.objects.filter(list="fund_source").exists():
        load(CodeList, Parameter)
        codes.clear_cache()


@pytest.fixture(autouse=True)
def funds_codes(request):
    if "db" in request.fixturenames or "transactional_db" in request.fixturenames:
        ensure_funds_codes()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pdf(name="evidence.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def finance(db):
    return UserFactory(username="finance1", role="department", department=DepartmentFactory(name="财政局"))


@pytest.fixture
def allocation(county_layout, users):
    return services.allocation_create(
        user=users["command"],
        data={
            "year": YEAR,
            "source": "11",
            "document_number": "青财农〔2026〕1号",
            "document_date": datetime.date(YEAR, 2, 1),
            "amount": Decimal("100000"),
            "receiving_department": county_layout["department"],
        },
    )


def make_project(user, *, township=None, department=None, villages=(), project_type="11", number="P-001"):
    return services.project_create(
        user=user,
        data={
            "number": number,
            "name": f"项目{number}",
            "year": YEAR,
            "project_type": project_type,
            "implementing_township": township,
            "implementing_department": department,
            "planned_completion": datetime.date(YEAR, 9, 30),
        },
        villages=villages,
    )


@pytest.fixture
def project(county_layout, users, allocation):
    """A department's road project in township 1's village v11, 40 000 from the allocation, approved."""
    command = users["command"]
    p = make_project(
        command, department=county_layout["department"], villages=[county_layout["villages"]["v11"]]
    )
    services.budget_line_set(user=command, project=p, allocation=allocation, amount=Decimal("40000"))
    return services.project_transition(
        user=command, project=p, action="approve", on=datetime.date(YEAR, 3, 1), document="青扶发〔2026〕3号"
    )


@pytest.fixture
def started(project, users):
    return services.project_transition(
        user=users["department"], project=project, action="start", on=datetime.date(YEAR, 3, 10)
    )


def line_of(project):
    return project.budget_lines.get()


__all__ = ["Allocation", "Project"]
