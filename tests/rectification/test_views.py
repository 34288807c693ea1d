"""Pages: scoping (404 outside), direct POSTs refused, evidence downloads, filters, query budgets."""

import datetime

import pytest
from django.urls import reverse

from rectification.models import Evidence, Item
from tests.rectification.factories import ItemFactory, pdf_upload

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def test_list_scoped_per_role(client, item, dept_item, county_layout, users):
    _, t2 = county_layout["townships"]
    other = ItemFactory(responsible_township=t2)
    expected = {
        "command": {item, dept_item, other},
        "inspector": {item, dept_item, other},
        "township": {item},
        "department": {dept_item},
        "village": set(),
        "helper": set(),
    }
    for role, visible in expected.items():
        client.force_login(users[role])
        response = client.get(reverse("rectification:item_list"))
        assert set(response.context["items"]) == visible, role
        for it in (item, dept_item, other):
            status = client.get(reverse("rectification:item_detail", args=[it.pk])).status_code
            assert status == (200 if it in visible else 404), (role, it)


def test_village_sees_items_targeting_its_village(client, county_layout, users):
    _, t2 = county_layout["townships"]
    item = ItemFactory(
        responsible_township=t2, level="village", target_village=county_layout["villages"]["v11"]
    )
    client.force_login(users["village"])
    assert client.get(reverse("rectification:item_detail", args=[item.pk])).status_code == 200


def test_direct_post_refused_without_permission(client, item, users):
    """A hidden button is not a permission: the inspector posts 'progress' directly."""
    client.force_login(users["inspector"])
    url = reverse("rectification:item_action", args=[item.pk, "progress"])
    response = client.post(url, {"date": TODAY, "percent": 50, "text": "伪造进展"}, follow=True)
    item.refresh_from_db()
    assert item.status == "pending" and item.updates.count() == 0
    assert (
        "不能" in response.content.decode()
        or "不可" in response.content.decode()
        or response.status_code == 200
    )
    client.force_login(users["township"])
    url = reverse("rectification:item_action", args=[item.pk, "close"])
    client.post(url, {"document": "x"})
    item.refresh_from_db()
    assert item.status == "pending"


def test_post_outside_scope_is_404(client, dept_item, users):
    client.force_login(users["township"])
    url = reverse("rectification:item_action", args=[dept_item.pk, "start"])
    assert client.post(url).status_code == 404


def test_progress_with_evidence_and_download_scope(client, item, dept_item, users, media):
    client.force_login(users["township"])
    url = reverse("rectification:item_action", args=[item.pk, "progress"])
    response = client.post(url, {"date": TODAY, "percent": 30, "text": "已鉴定", "files": [pdf_upload()]})
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert str(media) in evidence.file.path and "evidence/" in evidence.file.name
    download = reverse("rectification:evidence_download", args=[evidence.pk])
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    for role, code in [
        ("command", 200),
        ("inspector", 200),
        ("department", 404),
        ("village", 404),
        ("helper", 404),
    ]:
        client.force_login(users[role])
        assert client.get(download).status_code == code, role
    client.logout()
    assert client.get(download).status_code == 302


def test_bad_evidence_shows_message(client, item, users, media):
    client.force_login(users["township"])
    url = reverse("rectification:item_action", args=[item.pk, "progress"])
    response = client.post(
        url,
        {"date": TODAY, "percent": 30, "text": "x", "files": [pdf_upload("病毒.exe", b"MZ")]},
        follow=True,
    )
    assert "不接受" in response.content.decode()
    assert Evidence.objects.count() == 0 and item.updates.count() == 0


def test_send_back_requires_reason_via_post(client, item, users):
    Item.objects.filter(pk=item.pk).update(status="submitted")
    client.force_login(users["inspector"])
    url = reverse("rectification:item_action", args=[item.pk, "send_back"])
    client.post(url, {"reason": ""})
    item.refresh_from_db()
    assert item.status == "submitted"
    client.post(url, {"reason": "照片不清晰"})
    item.refresh_from_db()
    assert item.status == "in_progress"


def test_filters_and_counts(client, county_layout, users):
    t1, t2 = county_layout["townships"]
    ItemFactory(responsible_township=t1, deadline=TODAY - datetime.timedelta(days=2), status="in_progress")
    ItemFactory(responsible_township=t1, deadline=TODAY, status="pending")
    ItemFactory(responsible_township=t2, status="closed", deadline=TODAY - datetime.timedelta(days=9))
    ItemFactory(responsible_township=None, responsible_department=county_layout["department"], source="06")
    client.force_login(users["command"])
    url = reverse("rectification:item_list")

    def numbers(**params):
        return len(client.get(url, params).context["items"])

    assert numbers() == 4
    assert numbers(unit=f"t:{t1.pk}") == 2
    assert numbers(unit=f"d:{county_layout['department'].pk}") == 1
    assert numbers(source="06") == 1
    assert numbers(status="closed") == 1
    assert numbers(due="overdue") == 1
    assert numbers(due="soon") == 1
    assert numbers(category=Item.objects.first().category.parent_id) == 4
    counts = client.get(url, {"status": "closed"}).context["counts"]
    assert (
        counts["total"] == 4 and counts["closed"] == 1 and counts["pending"] == 2 and counts["overdue"] == 1
    )


def test_my_items(client, item, dept_item, county_layout, users):
    _, t2 = county_layout["townships"]
    ItemFactory(responsible_township=t2, level="township", target_township=county_layout["townships"][0])
    client.force_login(users["township"])
    response = client.get(reverse("rectification:my_items"))
    assert list(response.context["items"]) == [item]


def test_bulk_assign_view(client, item, dept_item, county_layout, users):
    _, t2 = county_layout["townships"]
    client.force_login(users["township"])
    assert client.post(reverse("rectification:item_assign_bulk"), {"items": [item.pk]}).status_code == 403
    client.force_login(users["command"])
    client.post(
        reverse("rectification:item_assign_bulk"), {"items": [item.pk, dept_item.pk], "unit": f"t:{t2.pk}"}
    )
    assert Item.objects.filter(responsible_township=t2).count() == 2


def test_create_page(client, county_layout, users):
    client.force_login(users["township"])
    assert client.get(reverse("rectification:item_create")).status_code == 403
    client.force_login(users["command"])
    t1, _ = county_layout["townships"]
    category = ItemFactory.build().category
    response = client.post(
        reverse("rectification:item_create"),
        {
            "number": "ZG-0901",
            "source": "05",
            "category": category.pk,
            "description": "危房",
            "level": "township",
            "target_township": t1.pk,
            "unit": f"t:{t1.pk}",
            "kind": "deadline",
            "deadline": "2026-12-31",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Item.objects.get(number="ZG-0901").target_township == t1


def _budget(client, user, url, django_assert_max_num_queries, limit):
    client.force_login(user)
    client.get(url)  # warm up
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("rows", [3, 40])
def test_list_query_budget(rows, client, county_layout, users, django_assert_max_num_queries):
    t1, _ = county_layout["townships"]
    ItemFactory.create_batch(rows, responsible_township=t1, responsible_person=users["township"])
    url = reverse("rectification:item_list")
    _budget(client, users["command"], url, django_assert_max_num_queries, 14)
    _budget(client, users["township"], reverse("rectification:my_items"), django_assert_max_num_queries, 14)


@pytest.mark.parametrize("updates", [1, 15])
def test_detail_query_budget(updates, client, item, users, media, django_assert_max_num_queries):
    from rectification import services

    for n in range(updates):
        services.item_add_progress(
            user=users["township"], item=item, date=TODAY, text=f"第{n}次", percent=n, files=[pdf_upload()]
        )
    url = reverse("rectification:item_detail", args=[item.pk])
    _budget(client, users["command"], url, django_assert_max_num_queries, 14)
    _budget(client, users["township"], url, django_assert_max_num_queries, 14)


def test_edit_page_command_only_and_logged(client, item, county_layout, users):
    url = reverse("rectification:item_update", args=[item.pk])
    client.force_login(users["township"])
    assert client.get(url).status_code == 403
    client.force_login(users["command"])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(category=item.category_id, deadline="2027-03-31", unit=f"t:{item.responsible_township_id}")
    data["responsible_person"] = users["township"].pk
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    item.refresh_from_db()
    assert item.deadline == datetime.date(2027, 3, 31)
    edit = item.transitions.get(action="edit")
    assert "整改时限" in edit.reason and edit.actor == users["command"]
    assert item.history.count() == 2
