import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from inspections import services
from inspections.models import Finding, Inspection, Sample
from rectification.models import Category, Item
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db
RECORDERS = ("command", "inspector")
OTHERS = ("township", "village", "department", "helper")


def _finding_post(county_layout, **extra):
    return {
        "level": "village",
        "village": county_layout["villages"]["v11"].pk,
        "responsible_person": "王立新",
        "text": "青石村饮水间歇供水。",
        **extra,
    }


@pytest.mark.parametrize("role", RECORDERS)
def test_recorders_record_findings(client, users, inspection, county_layout, role):
    client.force_login(users[role])
    url = reverse("inspections:inspection_detail", args=[inspection.pk])
    response = client.post(url, _finding_post(county_layout))
    finding = Finding.objects.get()
    assert response.status_code == 302 and response.url == finding.get_absolute_url()


@pytest.mark.parametrize("role", OTHERS)
def test_others_cannot_record_findings(client, users, inspection, county_layout, role):
    client.force_login(users[role])
    url = reverse("inspections:inspection_detail", args=[inspection.pk])
    assert client.post(url, _finding_post(county_layout)).status_code in (403, 404)
    assert not Finding.objects.exists()


def test_vague_finding_is_refused_on_the_page(client, users, inspection, county_layout):
    client.force_login(users["inspector"])
    url = reverse("inspections:inspection_detail", args=[inspection.pk])
    response = client.post(url, _finding_post(county_layout, village="", text="个别农户饮水不稳定。"))
    assert response.status_code == 200
    assert "个别" in response.content.decode()
    assert not Finding.objects.exists()


def test_finding_to_item_on_the_page_and_township_sees_it(client, users, finding, county_layout):
    client.force_login(users["inspector"])
    url = reverse("inspections:finding_detail", args=[finding.pk])
    data = {
        "category": Category.objects.get(code="0802").pk,
        "responsible_township": county_layout["townships"][0].pk,
        "kind": "deadline",
        "deadline": "2026-12-31",
    }
    assert client.post(url, data).status_code == 302
    item = Item.objects.get()
    assert item.finding == finding
    client.force_login(users["township"])
    page = client.get(reverse("rectification:my_items")).content.decode()
    assert item.number in page
    assert client.get(url).status_code == 200  # the township reads its own finding


@pytest.mark.parametrize("role", OTHERS)
def test_others_cannot_open_items(client, users, finding, county_layout, role):
    client.force_login(users[role])
    url = reverse("inspections:finding_detail", args=[finding.pk])
    data = {"category": Category.objects.get(code="0802").pk, "kind": "deadline", "deadline": "2026-12-31"}
    assert client.post(url, data).status_code in (403, 404)
    assert not Item.objects.exists()


def test_findings_are_scoped(client, users, inspection, county_layout):
    t1, t2 = county_layout["townships"]
    mine = services.finding_record(
        user=users["inspector"], inspection=inspection, level="township", township=t1, text="镇台账不全。"
    )
    other = services.finding_record(
        user=users["inspector"], inspection=inspection, level="township", township=t2, text="乡台账不全。"
    )
    dept = services.finding_record(
        user=users["inspector"],
        inspection=inspection,
        level="department",
        department=county_layout["department"],
        text="住建局危改验收迟缓。",
    )
    expected = {"township": {mine}, "village": set(), "department": {dept}, "helper": set()}
    for role, visible in expected.items():
        client.force_login(users[role])
        for finding in (mine, other, dept):
            status = client.get(reverse("inspections:finding_detail", args=[finding.pk])).status_code
            assert status == (200 if finding in visible else 404), (role, finding)


@pytest.mark.parametrize("role", OTHERS)
def test_samples_are_for_recorders_only(client, users, county_layout, role):
    sample = services.sample_draw(user=users["inspector"], title="抽查", seed=1)
    client.force_login(users[role])
    assert client.get(reverse("inspections:sample_list")).status_code == 403
    assert (
        client.post(reverse("inspections:sample_create"), {"title": "x", "rate_percent": "10"}).status_code
        == 403
    )
    assert client.get(reverse("inspections:sample_detail", args=[sample.pk])).status_code == 404
    assert client.get(reverse("inspections:sample_export", args=[sample.pk])).status_code == 404
    assert Sample.objects.count() == 1


def test_draw_on_the_page_and_record_a_result(client, users, county_layout):
    client.force_login(users["inspector"])
    response = client.post(
        reverse("inspections:sample_create"),
        {"title": "十一月抽查", "rate_percent": "50", "remote_factor": "1", "seed": "42"},
    )
    sample = Sample.objects.get()
    assert response.url == sample.get_absolute_url()
    assert (sample.seed, sample.rate) == (42, Decimal("0.5"))
    entry = sample.entries.first()
    url = reverse("inspections:sample_entry", args=[sample.pk, entry.pk])
    data = {"identification_accurate": "1", "satisfied": "0", "knows_policies": "1", "problems": "饮水不稳定"}
    assert client.post(url, data).status_code == 302
    page = client.get(sample.get_absolute_url()).content.decode()
    assert 'data-rate="recognition" data-ok="no"' in page


def test_sample_list_cannot_be_edited(client, users, county_layout):
    sample = services.sample_draw(user=users["inspector"], title="抽查", seed=1)
    before = list(sample.entries.values_list("household_id", flat=True))
    client.force_login(users["command"])
    client.post(sample.get_absolute_url(), {"form": "entries", "household": [1, 2, 3]})
    assert list(sample.entries.values_list("household_id", flat=True)) == before
    assert not hasattr(services, "sample_update") and not hasattr(services, "sample_delete")


def test_sample_export_reads_back(client, users, county_layout):
    household = HouseholdFactory(
        village=county_layout["villages"]["v11"], number="=411529101200999", exit_status="1"
    )
    sample = services.sample_draw(user=users["inspector"], title="全抽", rate=Decimal("1"), seed=5)
    entry = sample.entries.get(household=household)
    services.sample_result_record(
        user=users["inspector"],
        entry=entry,
        identification_accurate=True,
        exit_accurate=False,
        satisfied=True,
        knows_policies=False,
        problems="收入计算不实",
    )
    client.force_login(users["inspector"])
    response = client.get(reverse("inspections:sample_export", args=[sample.pk]))
    assert response.status_code == 200
    from povertycase.core.models import ExportLog

    log = ExportLog.objects.get(kind="inspection_sample")
    assert (log.user, log.filters, log.row_count) == (
        users["inspector"],
        {"sample": sample.pk},
        sample.entries.count(),
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(rows) if r[0] == "序号")
    body = rows[header_at + 1 :]
    assert len(body) == sample.entries.count()
    row = next(r for r in body if r[3] and r[3].endswith("411529101200999"))
    assert row[3] == "'=411529101200999"  # a formula-like cell is escaped
    assert row[1] == "青石镇" and row[6] == "是" and row[9] == "否" and row[12] == "收入计算不实"
    assert sheet.freeze_panes is not None and sheet.auto_filter.ref


@pytest.mark.parametrize("n", [3, 30])
def test_list_pages_query_budget(client, users, county_layout, django_assert_max_num_queries, n):
    inspector = users["inspector"]
    t1 = county_layout["townships"][0]
    for k in range(n):
        inspection = services.inspection_create(
            user=inspector,
            title=f"暗访{k}",
            kind="unannounced",
            start_date=datetime.date(2026, 11, 2),
            end_date=datetime.date(2026, 11, 3),
        )
        services.finding_record(
            user=inspector, inspection=inspection, level="township", township=t1, text="台账不全。"
        )
    HouseholdFactory.create_batch(n, village=county_layout["villages"]["v12"])
    sample = services.sample_draw(user=inspector, title="抽查", rate=Decimal("1"), seed=1)
    for entry in sample.entries.select_related("household"):
        services.sample_result_record(
            user=inspector, entry=entry, identification_accurate=True, satisfied=True, knows_policies=True
        )
    assert Inspection.objects.count() == n
    for user, url in [
        (inspector, reverse("inspections:inspection_list")),
        (inspector, reverse("inspections:finding_list")),
        (users["township"], reverse("inspections:finding_list")),
        (inspector, reverse("inspections:sample_list")),
        (inspector, sample.get_absolute_url()),
        (inspector, reverse("inspections:inspection_detail", args=[inspection.pk])),
    ]:
        client.force_login(user)
        with django_assert_max_num_queries(16):
            assert client.get(url).status_code == 200, url


def test_inspection_created_on_the_page_with_its_scope(client, users, county_layout):
    t1, t2 = county_layout["townships"]
    client.force_login(users["inspector"])
    data = {
        "title": "交叉检查第一组",
        "kind": "cross",
        "start_date": "2026-11-09",
        "end_date": "2026-11-12",
        "townships": [t1.pk, t2.pk],
        "villages": [county_layout["villages"]["v11"].pk],
    }
    response = client.post(reverse("inspections:inspection_create"), data)
    inspection = Inspection.objects.get()
    assert response.url == inspection.get_absolute_url()
    assert set(inspection.townships.all()) == {t1, t2}
    page = client.get(response.url).content.decode()
    assert "交叉检查" in page and "青石村" in page
    client.force_login(users["township"])
    assert client.post(reverse("inspections:inspection_create"), data).status_code == 403


def test_missed_households_and_surveyed_persons_on_the_page(client, users, county_layout):
    sample = services.sample_draw(user=users["inspector"], title="抽查", seed=1)
    client.force_login(users["inspector"])
    url = sample.get_absolute_url()
    village = county_layout["villages"]["v22"]
    data = {"form": "missed", "village": village.pk, "head_name": "周某", "persons": "3", "note": "无房无业"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, {"form": "surveyed", "persons": "100"}).status_code == 302
    page = client.get(url).content.decode()
    assert "周某" in page
    assert 'data-rate="missed" data-ok="no"' in page  # 3 of 100 = 3%
    assert (
        client.post(
            url, {"form": "missed", "village": village.pk, "head_name": "", "persons": "0"}
        ).status_code
        == 200
    )


def test_problem_becomes_finding_only_with_an_inspection(client, users, county_layout, inspection):
    loose = services.sample_draw(user=users["inspector"], title="未关联", seed=1)
    linked = services.sample_draw(user=users["inspector"], title="已关联", seed=1, inspection=inspection)
    client.force_login(users["inspector"])
    for sample in (loose, linked):
        entry = sample.entries.select_related("household").first()
        services.sample_result_record(
            user=users["inspector"],
            entry=entry,
            identification_accurate=True,
            exit_accurate=None,
            satisfied=True,
            knows_policies=True,
            problems="饮水间歇供水",
        )
        client.post(reverse("inspections:finding_from_entry", args=[sample.pk, entry.pk]))
    finding = Finding.objects.get()
    assert finding.inspection == inspection and finding.level == "household"
    assert finding.household == linked.entries.first().household
