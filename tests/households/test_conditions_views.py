"""Living-conditions page (生产生活条件): who may record, validation in Chinese with nothing saved,
the change trail, logic-check warnings after the save, and the household page's panel."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from households.checks import service as checks_service
from households.models import LivingConditions
from households.services.conditions import household_conditions_save

VALID = {
    "housing_area": "96.5",
    "forest_area": "12",
    "pasture_area": "0",
    "water_surface_area": "",
    "returned_forest_area": "1.5",
    "orchard_area": "",
    "road_type": "3",
    "road_distance_km": "0.8",
    "sanitary_toilet": "true",
    "main_fuel": "1",
    "is_relocated": "false",
    "relocation_mode": "",
    "relocation_village": "",
    "relocation_group": "",
    "relocation_place": "",
    "relocated_on": "",
    "change_reason": "入户采集",
}


def _page(household):
    return reverse("households:household_conditions", args=[household.pk])


def _detail(household):
    return reverse("households:household_detail", args=[household.pk])


@pytest.fixture
def household(county_layout):
    h = county_layout["households"]["v11"]
    h.group_name, h.farmland_area = "三组", Decimal("3.0")
    h.is_dangerous_house, h.water_safe, h.has_electricity = False, True, True
    h.save()
    return h


def _post(client, user, household, **changes):
    client.force_login(user)
    return client.post(_page(household), {**VALID, **changes})


def _form_errors(response) -> dict:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


# ------------------------------------------------------------------ scope and roles


@pytest.mark.parametrize("role", ["command", "township", "village"])
def test_register_cadres_record_the_conditions_of_their_households(client, users, household, role):
    client.force_login(users[role])
    assert client.get(_page(household)).status_code == 200
    response = _post(client, users[role], household)
    assert response.status_code == 302 and response["Location"] == _detail(household)
    record = LivingConditions.objects.get(household=household)
    assert record.housing_area == Decimal("96.5") and record.road_type == "3"
    assert record.sanitary_toilet is True and record.is_relocated is False
    assert record.water_surface_area is None and record.relocation_group == ""


@pytest.mark.parametrize("role", ["helper", "department", "inspector"])
def test_roles_that_may_not_edit_the_register_get_403(client, users, household, role):
    client.force_login(users[role])
    assert client.get(_page(household)).status_code == 403
    assert _post(client, users[role], household).status_code == 403
    assert not LivingConditions.objects.filter(household=household).exists()


def test_a_household_outside_the_scope_is_404(client, users, county_layout):
    other = county_layout["households"]["v12"]
    assert _post(client, users["village"], other).status_code == 404
    client.force_login(users["township"])
    assert client.get(_page(county_layout["households"]["v21"])).status_code == 404
    client.force_login(users["helper"])
    assert client.get(_page(other)).status_code == 404
    assert not LivingConditions.objects.exists()


def test_the_service_refuses_a_user_who_may_not_edit(users, household):
    from povertycase.errors import DomainError

    with pytest.raises(DomainError):
        household_conditions_save(household=household, user=users["inspector"], data={})


# ------------------------------------------------------------------ create, edit, history


def test_editing_keeps_the_trail_with_user_and_reason(client, users, household):
    _post(client, users["village"], household)
    _post(client, users["township"], household, road_distance_km="1.25", change_reason="修路后重测")
    record = LivingConditions.objects.get(household=household)
    assert record.road_distance_km == Decimal("1.25")
    rows = list(record.history.order_by("history_id"))
    assert [r.history_type for r in rows] == ["+", "~"]
    assert rows[0].history_user == users["village"] and rows[0].history_change_reason == "入户采集"
    assert rows[1].history_user == users["township"] and rows[1].history_change_reason == "修路后重测"
    client.force_login(users["command"])
    page = client.get(_page(household))
    history = page.context["history"]
    assert history[0].reason == "修路后重测"
    assert [(c.old, c.new) for c in history[0].changes] == [("0.80", "1.25")]
    assert history[-1].created
    html = page.content.decode()
    assert "已采集生产生活条件" in html and '<span class="history-old">0.80</span>' in html


def test_the_form_shows_the_recorded_values(client, users, household):
    _post(client, users["village"], household, road_type="2")
    response = client.get(_page(household))
    form = response.context["form"]
    assert form.initial["road_type"] == "2" and form.initial["forest_area"] == Decimal("12.0")


def test_a_relocated_household_is_saved_with_its_resettlement(client, users, household, county_layout):
    v12 = county_layout["villages"]["v12"]
    response = _post(
        client,
        users["township"],
        household,
        is_relocated="true",
        relocation_mode="1",
        relocation_village=str(v12.pk),
        relocation_group="一组",
        relocation_place="石门新区安置点",
        relocated_on="2019-06-15",
    )
    assert response.status_code == 302
    record = LivingConditions.objects.get(household=household)
    assert record.relocation_village == v12 and record.relocated_on == datetime.date(2019, 6, 15)


def test_a_village_cadre_can_only_resettle_into_villages_it_sees(client, users, household, county_layout):
    v21 = county_layout["villages"]["v21"]
    response = _post(
        client,
        users["village"],
        household,
        is_relocated="true",
        relocation_mode="1",
        relocation_village=v21.pk,
    )
    assert response.status_code == 200 and "relocation_village" in _form_errors(response)
    assert not LivingConditions.objects.filter(household=household).exists()


def test_settling_in_the_own_group_saves_with_an_hh_012_warning(client, users, household):
    response = _post(
        client,
        users["village"],
        household,
        is_relocated="true",
        relocation_mode="2",
        relocation_village=household.village_id,
        relocation_group="三组",
    )
    assert response.status_code == 302
    shown = [str(m) for m in response.wsgi_request._messages]
    assert any(text.startswith("HH-012") for text in shown)


# ------------------------------------------------------------------ validation


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"road_distance_km": ""}, "road_distance_km"),
        ({"housing_area": ""}, "housing_area"),
        ({"forest_area": ""}, "forest_area"),
        ({"pasture_area": ""}, "pasture_area"),
        ({"road_type": ""}, "road_type"),
        ({"sanitary_toilet": ""}, "sanitary_toilet"),
        ({"forest_area": "-1"}, "forest_area"),
        ({"orchard_area": "10000.1"}, "orchard_area"),
        ({"road_distance_km": "100.5"}, "road_distance_km"),
        ({"road_distance_km": "-0.5"}, "road_distance_km"),
        ({"housing_area": "abc"}, "housing_area"),
        ({"relocation_group": "二组"}, "relocation_group"),
        ({"is_relocated": "true", "relocation_village": ""}, "relocation_mode"),
        ({"is_relocated": "true", "relocation_mode": "1"}, "relocation_village"),
    ],
)
def test_bad_input_is_refused_per_field_in_chinese_with_nothing_saved(
    client, users, household, changes, field
):
    response = _post(client, users["village"], household, **changes)
    assert response.status_code == 200
    errors = _form_errors(response)
    assert field in errors
    assert any(any("\u4e00" <= ch <= "\u9fff" for ch in text) for text in errors[field])
    assert not LivingConditions.objects.filter(household=household).exists()


def test_every_problem_is_shown_at_once(client, users, household):
    response = _post(
        client, users["village"], household, road_distance_km="", sanitary_toilet="", forest_area="-3"
    )
    assert {"road_distance_km", "sanitary_toilet", "forest_area"} <= set(_form_errors(response))


def test_the_missing_distance_message_names_the_field(client, users, household):
    response = _post(client, users["village"], household, road_distance_km="")
    assert _form_errors(response)["road_distance_km"] == ["请填写与村主干路距离（公里）。"]


def test_a_moving_in_date_in_the_future_is_refused(client, users, household):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = _post(
        client,
        users["village"],
        household,
        is_relocated="true",
        relocation_mode="1",
        relocation_village=household.village_id,
        relocation_group="五组",
        relocated_on=tomorrow.isoformat(),
    )
    assert "relocated_on" in _form_errors(response)
    assert not LivingConditions.objects.filter(household=household).exists()


def test_an_edit_with_bad_input_leaves_the_record_unchanged(client, users, household):
    _post(client, users["village"], household)
    _post(client, users["village"], household, housing_area="50", road_distance_km="101")
    record = LivingConditions.objects.get(household=household)
    assert record.housing_area == Decimal("96.5") and record.history.count() == 1


def test_a_save_that_adds_a_logic_check_error_is_rolled_back(client, users, household, monkeypatch):
    calls = []

    def keys(h, **options):
        calls.append(h.pk)
        return {} if len(calls) == 1 else {("HH-999", None): "HH-999 新错误"}

    monkeypatch.setattr(checks_service, "error_keys", keys)
    response = _post(client, users["village"], household)
    assert response.status_code == 200
    assert "HH-999 新错误" in response.context["form"].non_field_errors()
    assert not LivingConditions.objects.filter(household=household).exists()


# ------------------------------------------------------------------ household page panel


def test_the_panel_says_not_collected_with_a_record_button_for_editors(client, users, household):
    client.force_login(users["village"])
    page = client.get(_detail(household)).content.decode()
    assert 'data-testid="conditions-missing"' in page
    assert _page(household) in page


def test_the_panel_shows_the_values_with_labels_and_yes_no(client, users, household):
    _post(client, users["village"], household)
    client.force_login(users["inspector"])
    response = client.get(_detail(household))
    page = response.content.decode()
    assert 'data-testid="conditions-values"' in page
    assert "水泥路" in page and "柴草" in page and "96.5" in page
    assert dict(response.context["conditions_values"])["是否有卫生厕所"] == "是"
    assert _page(household) not in page  # the inspector only reads


def test_the_panel_shows_the_resettlement_of_a_relocated_household(client, users, household, county_layout):
    v12 = county_layout["villages"]["v12"]
    _post(
        client,
        users["township"],
        household,
        is_relocated="true",
        relocation_mode="1",
        relocation_village=v12.pk,
        relocation_group="一组",
    )
    page = client.get(_detail(household)).content.decode()
    assert "集中安置" in page and "石门村" in page and "一组" in page


def test_the_panel_costs_one_query(users, household, django_assert_num_queries):
    from households.views_conditions import conditions_panel

    LivingConditions.objects.create(household=household, housing_area=Decimal("80"), road_type="3")
    with django_assert_num_queries(1):
        context = conditions_panel(household, users["village"])
    assert context["conditions"] is not None
    LivingConditions.objects.all().delete()
    with django_assert_num_queries(1):
        assert conditions_panel(household, users["village"])["conditions"] is None


def test_the_page_lists_the_open_findings_of_the_three_checks(client, users, household):
    from households.checks import run_all_checks

    LivingConditions.objects.create(
        household=household,
        housing_area=Decimal("80"),
        forest_area=Decimal("0"),
        pasture_area=Decimal("0"),
        road_type="3",
        road_distance_km=Decimal("7.5"),
        sanitary_toilet=None,
    )
    run_all_checks(households=[household])
    client.force_login(users["village"])
    rules_shown = {v.rule_id for v in client.get(_page(household)).context["violations"]}
    assert rules_shown == {"HH-010", "HH-011"}


def test_resettlement_villages_are_those_in_scope_plus_the_one_recorded(
    client, users, household, county_layout
):
    villages = county_layout["villages"]
    client.force_login(users["village"])
    choices = client.get(_page(household)).context["form"].fields["relocation_village"].queryset
    assert set(choices) == {villages["v11"]}
    LivingConditions.objects.create(
        household=household, is_relocated=True, relocation_mode="1", relocation_village=villages["v21"]
    )
    choices = client.get(_page(household)).context["form"].fields["relocation_village"].queryset
    assert set(choices) == {villages["v11"], villages["v21"]}
