"""Village indicators pages: scope (404), validation in Chinese with nothing saved, history, list."""

from django.urls import reverse

LIST = reverse("households:village_list")


def test_list_and_page_render(client, users, county_layout):
    client.force_login(users["command"])
    response = client.get(LIST)
    assert response.status_code == 200
    assert len(response.context["villages"]) == 4
    v11 = county_layout["villages"]["v11"]
    response = client.get(reverse("households:village_indicators", args=[v11.pk]))
    assert response.status_code == 200
    assert "村级指标" in response.content.decode()
