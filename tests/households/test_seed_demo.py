"""The demo county: layout, accounts, valid and consistent people, deliberate flaws, guards."""

import datetime
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from households import demo
from households.models import Department, Household, IncomeRecord, Member, Township, Village
from povertycase import idnumbers
from povertycase.core import codes

AS_OF = datetime.date(2026, 6, 30)
N = 60


@pytest.fixture
def built(db):
    return demo.build_demo(households=N, seed=7, as_of=AS_OF)


def _fingerprint():
    members = Member.objects.order_by("person_number").values_list("person_number", "name", "id_number")
    return list(Household.objects.order_by("number").values_list("number", "attribute", "main_cause")), list(
        members
    )


def test_layout_of_the_county(built):
    assert Township.objects.count() == 17
    assert all(t.name.endswith(("镇", "乡")) for t in Township.objects.all())
    assert 180 <= Village.objects.count() <= 230
    assert all(len(v.code) == 12 and v.code.startswith("411529") for v in Village.objects.all())
    poor = Village.objects.filter(is_poor=True)
    assert 0.3 < poor.count() / Village.objects.count() < 0.5
    assert all(2016 <= v.exit_year <= 2020 for v in poor)
    assert Department.objects.count() == 18
    assert {"住建局", "水利局", "教育局", "民政局", "乡村振兴局"} <= set(
        Department.objects.values_list("name", flat=True)
    )


def test_one_account_per_role_with_its_scope(built):
    users = {u.username: u for u in get_user_model().objects.select_related("profile")}
    expected = {"command", "township", "village", "helper", "department", "inspector"}
    assert {users[name].profile.role for name in expected} == expected
    township, village = users["township"].profile.township, users["village"].profile.village
    assert township is not None and village.township == township
    assert users["department"].profile.department.name == "住建局"
    assert (
        users["admin"].is_superuser and users["admin"].is_staff and users["admin"].profile.role == "command"
    )
    assert all(users[name].check_password(demo.DEMO_PASSWORD) for name in (*expected, "admin"))
    helped = Household.objects.filter(helper=users["helper"])
    assert helped.exists()
    assert all(h.village.township == township and h.helper_name == "陈明远" for h in helped)


def test_numbers_and_ids_are_valid_and_unique(built):
    households = list(Household.objects.select_related("village"))
    assert len(households) == N == built.households
    assert all(h.number.startswith(h.village.code) and len(h.number) == 16 for h in households)
    members = list(Member.objects.select_related("household"))
    ids = [m.id_number for m in members]
    assert len(ids) == len(set(ids))
    for member in members:
        facts = idnumbers.parse(member.id_number, today=AS_OF)
        assert member.id_number.startswith("411529")
        assert member.person_number == f"{member.household.number}{member.seq:02d}"
        assert facts.birth_date == member.birth_date
        if member.household.number not in built.flaws:
            assert facts.sex == member.sex


def test_families_are_plausible(built):
    relation_sex = {c.code: c.extra.get("sex") for c in codes.entries("relation")}
    heads = Counter(Member.objects.filter(relation="01").values_list("household_id", flat=True))
    assert set(heads.values()) == {1} and len(heads) == N
    for household in Household.objects.prefetch_related("members"):
        if household.number in built.flaws:
            continue
        members = list(household.members.all())
        head = next(m for m in members if m.relation == "01")
        assert household.head_name == head.name and household.member_count == len(members)
        for member in members:
            assert relation_sex[member.relation] in (None, member.sex)
            if member.relation == "02":
                assert member.sex != head.sex
            if member.relation in ("03", "04"):
                assert (
                    idnumbers.age_at(member.birth_date, AS_OF)
                    <= idnumbers.age_at(head.birth_date, AS_OF) - 15
                )


def test_clean_households_keep_the_main_rules(built):
    for household in Household.objects.prefetch_related("members", "measures", "incomes"):
        if household.number in built.flaws:
            continue
        members = list(household.members.all())
        assert 1 <= household.measures.count() <= 4
        if household.attribute == "2":
            assert any(m.dibao for m in members)
        if household.attribute == "3":
            assert any(m.tekun for m in members)
        for member in members:
            age = idnumbers.age_at(member.birth_date, AS_OF)
            assert member.medical_insurance
            if age < 16:
                assert not member.pension_insurance
            if 7 <= age <= 15:
                assert member.student_status
            assert not (member.dibao and member.tekun)
        if household.exit_status == "1":
            assert household.exit_month >= household.identified_month.replace(
                year=household.identified_month.year + 1
            )
            assert household.water_safe and not household.is_dangerous_house
            assert household.incomes.get(year=2020).per_capita_income >= 4000


def test_about_five_percent_carry_recorded_flaws(built):
    assert len(built.flaws) == round(N * 0.05)
    assert set(built.flaws.values()) <= set(demo.KINDS)
    assert set(built.flaws) <= set(Household.objects.values_list("number", flat=True))
    flawed = {n: k for n, k in built.flaws.items()}
    for number, kind in flawed.items():
        household = Household.objects.get(number=number)
        if kind == "member_count_mismatch":
            assert household.member_count != household.members.count()
        if kind == "exited_low_income":
            assert IncomeRecord.objects.get(household=household).per_capita_income < 4000


def test_all_kinds_occur_at_a_larger_size(db):
    result = demo.build_demo(households=300, seed=3, as_of=AS_OF)
    assert set(result.flaw_counts) == set(demo.KINDS)
    assert sum(result.flaw_counts.values()) == 15


def test_same_seed_same_data(db):
    demo.build_demo(households=30, seed=5, as_of=AS_OF)
    first = _fingerprint()
    demo.reset_demo()
    demo.build_demo(households=30, seed=5, as_of=AS_OF)
    assert _fingerprint() == first
    demo.reset_demo()
    demo.build_demo(households=30, seed=6, as_of=AS_OF)
    assert _fingerprint() != first


def test_command_guards(db, capsys):
    call_command("seed_demo", households=20, seed=2)
    assert Household.objects.count() == 20
    with pytest.raises(CommandError, match="already exist"):
        call_command("seed_demo", households=20)
    call_command("seed_demo", households=25, if_empty=True)
    assert Household.objects.count() == 20
    assert "left them alone" in capsys.readouterr().out
    call_command("seed_demo", households=25, reset=True)
    assert Household.objects.count() == 25
    assert Household.history.count() == 25
    assert get_user_model().objects.filter(username__in=demo.DEMO_USERS).count() == len(demo.DEMO_USERS)


@pytest.mark.parametrize("rule_id", ["VS-004", "HH-014", "CM-008"])
def test_demo_raises_no_false_alarm(built, rule_id):
    """Visits inside the helper's assignment, someone in stable work, risk remarks given."""
    from households.checks.runner import find_hits

    assert built.visits > 0
    tripped = {key for key in find_hits(today=AS_OF, rule_ids=[rule_id]).hits}
    assert tripped == set()


def test_household_type_follows_the_exit_status(built):
    """脱贫户 exactly when 已脱贫, 贫困户 when not: the demo never leaves EX-010 to trip."""
    from households.codefields import household_type_for

    pairs = Counter(Household.objects.values_list("exit_status", "household_type"))
    assert pairs and all(kind == household_type_for(status, kind) for status, kind in pairs)
    assert {kind for _status, kind in pairs} <= {"1", "2"}
