import datetime

import pytest

from inspections import services
from inspections.models import Finding
from povertycase.errors import DomainError
from rectification.models import Category, Item
from rectification.queries import items_visible_to

pytestmark = pytest.mark.django_db
DEADLINE = datetime.date(2026, 12, 31)


def _record(users, inspection, **kwargs):
    return services.finding_record(user=users["inspector"], inspection=inspection, **kwargs)


@pytest.mark.parametrize("word", ["个别", "有的", "部分", "一些", "少数"])
def test_vague_finding_without_target_is_refused_saying_what_to_name(users, inspection, word):
    with pytest.raises(DomainError) as refused:
        _record(users, inspection, level="village", text=f"{word}农户反映饮水不稳定。")
    assert word in refused.value.message
    assert "村" in refused.value.message
    assert refused.value.field == "village"
    assert not Finding.objects.exists()


def test_finding_without_target_is_refused_even_without_vague_words(users, inspection):
    with pytest.raises(DomainError) as refused:
        _record(users, inspection, level="department", text="住建局危改验收迟缓。")
    assert refused.value.field == "department"


def test_vague_wording_is_accepted_once_the_target_is_named(users, inspection, county_layout):
    household = county_layout["households"]["v21"]
    finding = _record(
        users,
        inspection,
        level="household",
        household=household,
        responsible_person="张伟",
        text="该户部分家庭成员未参加医保。",
    )
    assert finding.target == household
    assert finding.village == household.village
    assert finding.township == household.village.township


def test_only_recorders_record_findings(users, inspection, county_layout):
    for role in ("township", "village", "department", "helper"):
        with pytest.raises(DomainError):
            services.finding_record(
                user=users[role],
                inspection=inspection,
                level="township",
                township=county_layout["townships"][0],
                text="台账不全。",
            )


def test_finding_becomes_an_item_linked_both_ways(users, finding, county_layout):
    t1, _ = county_layout["townships"]
    item = services.finding_to_item(
        user=users["inspector"],
        finding=finding,
        category=Category.objects.get(code="0802"),
        deadline=DEADLINE,
    )
    finding.refresh_from_db()
    assert finding.item == item
    assert Item.objects.get(pk=item.pk).finding == finding
    assert item.description == finding.text
    assert item.source == "05"
    assert item.responsible_township == t1
    assert item.target_village == county_layout["villages"]["v11"]
    assert item.transitions.get().action == "create"
    assert items_visible_to(users["township"]).filter(pk=item.pk).exists()


def test_a_finding_becomes_one_item_only(users, finding):
    category = Category.objects.get(code="0802")
    services.finding_to_item(user=users["inspector"], finding=finding, category=category, deadline=DEADLINE)
    with pytest.raises(DomainError):
        services.finding_to_item(
            user=users["inspector"], finding=finding, category=category, deadline=DEADLINE
        )
    assert Item.objects.count() == 1


def test_ledger_rules_still_apply_to_items_from_findings(users, finding):
    with pytest.raises(DomainError) as refused:
        services.finding_to_item(
            user=users["inspector"],
            finding=finding,
            category=Category.objects.get(code="0802"),
            deadline=None,
        )
    assert refused.value.field == "deadline"
    finding.refresh_from_db()
    assert finding.item is None


def test_township_cannot_turn_a_finding_into_an_item(users, finding):
    with pytest.raises(DomainError):
        services.finding_to_item(
            user=users["township"],
            finding=finding,
            category=Category.objects.get(code="0802"),
            deadline=DEADLINE,
        )


def test_inspection_dates_in_order(users):
    with pytest.raises(DomainError):
        services.inspection_create(
            user=users["inspector"],
            title="x",
            kind="open",
            start_date=datetime.date(2026, 11, 6),
            end_date=datetime.date(2026, 11, 2),
        )


def test_inspector_still_cannot_create_ledger_items_directly(users):
    from rectification import services as ledger

    with pytest.raises(DomainError):
        ledger.item_create(user=users["inspector"], data={})


def test_team_with_leader_and_members(users):
    team = services.team_create(
        user=users["command"], name="第一督查组", leader=users["inspector"], members=[users["command"]]
    )
    assert set(team.members.all()) == {users["inspector"], users["command"]}
    inspection = services.inspection_create(
        user=users["inspector"],
        title="交叉检查",
        kind="cross",
        team=team,
        start_date=DEADLINE,
        end_date=DEADLINE,
    )
    assert inspection.team == team
    with pytest.raises(DomainError):
        services.team_create(user=users["township"], name="x")


def test_household_and_department_findings_name_their_unit(users, inspection, county_layout):
    dept = services.finding_record(
        user=users["inspector"],
        inspection=inspection,
        level="department",
        department=county_layout["department"],
        township=county_layout["townships"][0],  # ignored: only the level's target is kept
        text="住建局危房鉴定遗漏3户。",
    )
    assert dept.township is None and dept.target == county_layout["department"]
    item = services.finding_to_item(
        user=users["command"], finding=dept, category=Category.objects.get(code="0703"), deadline=DEADLINE
    )
    assert item.responsible_department == county_layout["department"] and item.level == "department"
