"""A clean household raises nothing; every rule is catalogued; blank inputs are skipped."""

from households.checks.registry import all_rules

from .conftest import rules_tripped


def test_clean_household_trips_no_rule(family):
    assert rules_tripped(family.household) == set()


def test_catalogue_holds_all_120_checks_of_domain_md_and_the_fund_rules():
    rules = [r for r in all_rules() if r.group != "PT"]  # PT: the petitions app's own rules
    assert len(rules) == 124
    counts = {}
    for item in rules:
        counts[item.group] = counts.get(item.group, 0) + 1
    assert counts == {
        "ID": 9,
        "HH": 14,
        "CM": 11,
        "MB": 34,
        "IN": 9,
        "EX": 10,
        "MN": 24,
        "VS": 5,
        "VL": 4,
        "FD": 4,
    }


def test_every_rule_has_metadata_and_runs():
    for item in all_rules():
        assert item.severity in ("E", "W")
        assert str(item.title) and item.source
        assert callable(item.func), item.id


def test_household_with_every_optional_field_blank_raises_nothing(family):
    """Columns the county never collected leave fields blank: no false alarms."""
    from households.models import Member

    family.household.__class__.objects.filter(pk=family.household.pk).update(
        phone="",
        member_count=None,
        is_dangerous_house=None,
        water_safe=None,
        has_electricity=None,
        identified_month=None,
    )
    Member.objects.filter(household=family.household).update(
        ethnicity="",
        education="",
        health="",
        labour="",
        work_status="",
        medical_insurance=None,
        serious_illness_insurance=None,
        pension_insurance=None,
        dibao=None,
        tekun=None,
        birth_date=None,
    )
    tripped = rules_tripped(family.household)
    # The register defines an empty 在校生状况 as "not a student"; the child keeps his stage.
    assert tripped == set()
