"""HH-010…HH-012: living conditions (生产生活条件) and relocation (易地扶贫搬迁)."""

import datetime
from decimal import Decimal

import pytest

from households.checks.registry import BLANK_IS_ERROR, get_rule
from households.models import AssistanceMeasure, Household, LivingConditions, RuleSetting
from tests.factories import VillageFactory

from .conftest import hits, rules_tripped


def survey(family, **fields) -> LivingConditions:
    """A complete, plausible survey for the family (no HH-010…012 hit), `fields` overriding."""
    Household.objects.filter(pk=family.household.pk).update(farmland_area=Decimal("3.5"), group_name="三组")
    values = {
        "housing_area": Decimal("96.0"),
        "forest_area": Decimal("12.0"),
        "pasture_area": Decimal("0.0"),
        "water_surface_area": Decimal("0.5"),
        "returned_forest_area": Decimal("1.0"),
        "orchard_area": Decimal("2.0"),
        "road_type": "3",
        "road_distance_km": Decimal("0.80"),
        "sanitary_toilet": True,
        "main_fuel": "1",
        "is_relocated": False,
    }
    values.update(fields)
    return LivingConditions.objects.create(household=family.household, **values)


def relocated(family, *, village=None, group="三组") -> LivingConditions:
    return survey(
        family,
        is_relocated=True,
        relocation_mode="1",
        relocation_village=village or family.household.village,
        relocation_group=group,
        relocation_place="幸福小区",
        relocated_on=datetime.date(2018, 10, 1),
    )


def message(family, rule_id) -> tuple[str, str]:
    [(hit, severity)] = hits(family.household, rule_id).values()
    return hit.message, severity


def test_a_complete_survey_trips_none_of_the_three(family):
    survey(family)
    assert rules_tripped(family.household) & {"HH-010", "HH-011", "HH-012"} == set()


# ------------------------------------------------------------------ HH-010


@pytest.mark.parametrize(
    "empty",
    [
        {"housing_area": None},
        {"forest_area": None},
        {"pasture_area": None},
        {"road_type": ""},
        {"road_distance_km": None},
        {"sanitary_toilet": None},
    ],
)
def test_an_empty_mandatory_survey_field_trips_hh_010(family, empty):
    survey(family, **empty)
    assert rules_tripped(family.household, "HH-010") == {"HH-010"}


@pytest.mark.parametrize("name", ["farmland_area", "is_dangerous_house", "water_safe", "has_electricity"])
def test_an_empty_household_condition_trips_hh_010_once_surveyed(family, name):
    survey(family)
    Household.objects.filter(pk=family.household.pk).update(**{name: None})
    assert rules_tripped(family.household, "HH-010") == {"HH-010"}


def test_hh_010_names_every_empty_field(family):
    survey(family, forest_area=None, road_distance_km=None)
    Household.objects.filter(pk=family.household.pk).update(water_safe=None)
    text, severity = message(family, "HH-010")
    assert severity == "E"
    assert "forest land (mu)" in text or "林地面积（亩）" in text
    assert "distance to the village main road (km)" in text or "与村主干路距离（公里）" in text
    assert "drinking water" in text or "饮水" in text
    assert "housing area" not in text and "住房面积" not in text


def test_optional_survey_fields_may_stay_empty(family):
    survey(family, water_surface_area=None, returned_forest_area=None, orchard_area=None, main_fuel="")
    assert rules_tripped(family.household, "HH-010") == set()


def test_hh_010_skips_a_household_whose_survey_was_never_collected(family):
    Household.objects.filter(pk=family.household.pk).update(farmland_area=None, water_safe=None)
    assert not LivingConditions.objects.filter(household=family.household).exists()
    assert rules_tripped(family.household, "HH-010") == set()


def test_hh_010_reports_missing_data_so_it_never_refuses_a_save():
    assert get_rule("HH-010").blank == BLANK_IS_ERROR


# ------------------------------------------------------------------ HH-011


@pytest.mark.parametrize(
    "fields",
    [
        {"pasture_area": Decimal("100.5")},
        {"water_surface_area": Decimal("150.0")},
        {"forest_area": Decimal("200.1")},
        {"returned_forest_area": Decimal("350.0")},
        {"orchard_area": Decimal("201.0")},
        {"road_distance_km": Decimal("5.01")},
    ],
)
def test_land_or_distance_out_of_range_trips_hh_011(family, fields):
    survey(family, **fields)
    text, severity = message(family, "HH-011")
    assert severity == "W"
    assert str(next(iter(fields.values()))) in text


def test_farmland_over_100_mu_trips_hh_011_without_a_survey(family):
    Household.objects.filter(pk=family.household.pk).update(farmland_area=Decimal("120.0"))
    text, _severity = message(family, "HH-011")
    assert "120.0" in text


@pytest.mark.parametrize(
    "fields",
    [
        {"pasture_area": Decimal("100.0"), "water_surface_area": Decimal("100.0")},
        {"forest_area": Decimal("200.0"), "returned_forest_area": Decimal("200.0")},
        {"orchard_area": Decimal("150.0"), "road_distance_km": Decimal("5.00")},
    ],
)
def test_values_at_the_limits_do_not_trip_hh_011(family, fields):
    survey(family, **fields)
    Household.objects.filter(pk=family.household.pk).update(farmland_area=Decimal("100.0"))
    assert rules_tripped(family.household, "HH-011") == set()


def test_hh_011_skips_empty_areas_and_distance(family):
    survey(family, forest_area=None, pasture_area=None, orchard_area=None, road_distance_km=None)
    Household.objects.filter(pk=family.household.pk).update(farmland_area=None)
    assert rules_tripped(family.household, "HH-011") == set()


def test_hh_011_limits_are_parameters(family):
    survey(family, road_distance_km=Decimal("3.0"))
    assert {p.name: p.default for p in get_rule("HH-011").params} == {
        "land_max": 100,
        "forest_max": 200,
        "road_max": 5,
    }
    RuleSetting.objects.create(rule_id="HH-011", params={"road_max": 2})
    assert rules_tripped(family.household, "HH-011") == {"HH-011"}


# ------------------------------------------------------------------ HH-012


def test_relocated_into_its_own_group_trips_hh_012(family):
    relocated(family)
    text, severity = message(family, "HH-012")
    assert severity == "W" and text


def test_relocated_into_another_group_or_village_does_not_trip_hh_012(family):
    relocated(family, group="五组")
    assert rules_tripped(family.household, "HH-012") == set()
    LivingConditions.objects.filter(household=family.household).update(
        relocation_village=VillageFactory(), relocation_group="三组"
    )
    assert rules_tripped(family.household, "HH-012") == set()


def test_a_household_not_relocated_in_its_own_group_does_not_trip_hh_012(family):
    relocated(family)
    LivingConditions.objects.filter(household=family.household).update(is_relocated=False)
    assert rules_tripped(family.household, "HH-012") == set()


def test_hh_012_skips_a_household_without_its_own_group(family):
    relocated(family, group="")
    Household.objects.filter(pk=family.household.pk).update(group_name="")
    assert rules_tripped(family.household, "HH-012") == set()


def test_relocation_measure_after_2020_trips_hh_012(family):
    Household.objects.filter(pk=family.household.pk).update(identified_month=datetime.date(2021, 5, 1))
    AssistanceMeasure.objects.create(household=family.household, category="A10", item="07", year=2021)
    assert rules_tripped(family.household, "HH-012") == {"HH-012"}


def test_relocation_measure_identified_in_2020_does_not_trip_hh_012(family):
    Household.objects.filter(pk=family.household.pk).update(identified_month=datetime.date(2020, 12, 1))
    AssistanceMeasure.objects.create(household=family.household, category="A10", item="07", year=2020)
    assert rules_tripped(family.household, "HH-012") == set()


def test_hh_012_skips_a_blank_identification_month(family):
    Household.objects.filter(pk=family.household.pk).update(identified_month=None)
    AssistanceMeasure.objects.create(household=family.household, category="A10", item="07", year=2021)
    assert rules_tripped(family.household, "HH-012") == set()


def test_other_measures_after_2020_do_not_trip_hh_012(family):
    Household.objects.filter(pk=family.household.pk).update(identified_month=datetime.date(2022, 1, 1))
    assert rules_tripped(family.household, "HH-012") == set()
