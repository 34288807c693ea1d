"""One demo household with its members, income and measures, consistent by construction.

A plan holds unsaved model instances; `flaws.apply` may then break one rule on purpose and
`writer.save_plans` stores them in bulk.
"""

import datetime
import random
from dataclasses import dataclass, field

from households.codefields import household_type_for
from households.models import AssistanceMeasure, Household, IncomeRecord, Member, Village
from households.models.register import join_codes

from . import families, member_fields, names, people
from .people import CHRONIC, DISABLED, HAS_LABOUR, NOT_WORKING, SERIOUS
from .support import income_for, measures_for
from .vocab import (
    ATTRIBUTE_WEIGHTS,
    DIBAO,
    DISABILITY,
    EXIT_YEARS,
    EXITED,
    EXITED_SHARE,
    GENERAL,
    GENERIC_CAUSES,
    IDENTIFIED_YEARS,
    ILLNESS,
    LABOUR,
    NOT_EXITED,
    OTHER_CAUSES,
    SCHOOLING,
    TEKUN,
)

STABLE_WORK_MONTHS = 6  # HH-014's default


@dataclass
class Context:
    rng: random.Random
    as_of: datetime.date
    ids: people.IdAllocator
    item_categories: dict[str, str]  # measure_item code -> measure_category code
    departments: dict
    phones: set = field(default_factory=set)
    helpers: dict = field(default_factory=dict)  # village pk -> [(name, phone)]
    people_seen: set = field(default_factory=set)  # (name, birth date): no look-alikes (ID-008)
    helper_account: object = None  # the demo helper user, with its township and quota
    helper_township_id: int | None = None
    helper_quota: int = 0
    surnames: tuple = (tuple(names.SURNAMES), tuple(names.SURNAMES.values()))
    member_rng: random.Random | None = None  # member_fields' own stream
    member_gaps: dict = field(default_factory=dict)  # member_fields.GAPS planted: gap -> person number

    def surname(self) -> str:
        return self.rng.choices(self.surnames[0], weights=self.surnames[1])[0]

    def person_name(self, surname: str, sex: str, birth: datetime.date) -> str:
        for _ in range(10):
            name = surname + people.given_name(self.rng, sex, birth.year)
            if (name, birth) not in self.people_seen:
                break
        self.people_seen.add((name, birth))
        return name

    def phone(self, rng: random.Random | None = None) -> str:
        rng = rng or self.rng
        while True:
            number = f"1{rng.choice('35789')}{rng.randrange(10**9):09d}"
            if number not in self.phones:
                self.phones.add(number)
                return number


@dataclass
class Plan:
    household: Household
    members: list[Member]
    income: IncomeRecord
    measures: list[AssistanceMeasure]
    flaw: str = ""


@dataclass(frozen=True)
class Needs:
    """What a household chosen for a deliberate flaw must contain."""

    child_age: tuple[int, int] | None = None
    exited: bool | None = None
    attribute: str | None = None


def plan_household(ctx: Context, village: Village, seq: int, village_size: int, needs: Needs) -> Plan:
    rng = ctx.rng
    attribute = needs.attribute or rng.choices(*zip(*ATTRIBUTE_WEIGHTS, strict=True))[0]
    if needs.child_age and attribute == TEKUN:
        attribute = GENERAL  # 特困供养 is for people without family to support them
    number = f"{village.code}{seq:04d}"
    composition = families.compose(rng, tekun=attribute == TEKUN, child_age=needs.child_age)
    members = _members(ctx, number, composition, attribute)
    if attribute == GENERAL and not any(m.labour in HAS_LABOUR for m in members):
        attribute = DIBAO  # a household without labour is carried by 低保 (HH-007)
    _set_welfare(members, attribute)
    member_fields.fill(ctx, members, gaps_allowed=needs == Needs())
    household = Household(
        number=number,
        village=village,
        group_name=rng.choice(names.GROUP_NAMES[: rng.randint(4, 10)]),
        head_name=members[0].name,
        attribute=attribute,
        id_standard="1" if rng.random() < 0.9 else "2",
        member_count=len(members),
        phone=ctx.phone() if rng.random() < 0.85 else "",
    )
    _set_timeline(rng, household, exited=needs.exited)
    _set_causes(rng, household, members)
    _set_conditions(rng, household)
    _set_helper(ctx, household, village, village_size)
    measures = measures_for(ctx, household, members)
    return Plan(household, members, income_for(ctx, household, members, measures), measures)


# --- members -------------------------------------------------------------------------------


def _members(ctx: Context, number: str, composition: list[tuple], attribute: str) -> list[Member]:
    rng = ctx.rng
    head_sex = composition[0][1]
    head_surname = ctx.surname()
    children_surname = head_surname if head_sex == families.MALE else ctx.surname()
    members = []
    for seq, (relation, sex, age) in enumerate(composition, start=1):
        if relation in (
            families.HEAD,
            families.SON,
            families.DAUGHTER,
            families.GRANDSON,
            families.GRANDDAUGHTER,
        ):
            surname = head_surname if relation == families.HEAD else children_surname
        elif relation == families.FATHER:
            surname = head_surname
        else:
            surname = ctx.surname()
        member = _member(ctx, number, seq, relation, sex, age, surname, tekun=attribute == TEKUN)
        members.append(member)
    _ensure_worker(rng, members)
    return members


def _member(
    ctx: Context, number: str, seq: int, relation: str, sex: str, age: int, surname: str, *, tekun: bool
):
    rng = ctx.rng
    birth = people.birth_date_for(rng, age, ctx.as_of)
    id_number = ctx.ids.make(birth, sex)
    health = people.pick_health(rng, age)
    if tekun and 16 <= age <= 59:
        health = DISABLED  # 特困 adults of working age are those who cannot work (HH-008)
    cert, severe_physical = "", False
    if health == DISABLED:
        cert, category, level = people.disability_cert(rng, id_number)
        severe_physical = level <= 2
    student_status, education = people.schooling(rng, age)
    if not education:
        education = people.adult_education(rng, birth.year, age)
    labour = people.labour_for(rng, age, health, bool(student_status), severe_physical)
    if tekun and age >= 16 and not student_status:
        labour = people.LOST
    if education == people.COLLEGE and not student_status and labour not in HAS_LABOUR:
        education = people.SENIOR  # college graduates who cannot work would look idle (MB-018)
    work_status, work_months = people.work_for(rng, labour)
    if education == people.COLLEGE and not student_status and work_status == NOT_WORKING:
        work_status, work_months = people.start_work(rng)
    adult = age >= 16 and not student_status
    return Member(
        seq=seq,
        person_number=f"{number}{seq:02d}",
        name=ctx.person_name(surname, sex, birth),
        id_type="1",
        id_number=id_number,
        disability_cert=cert,
        relation=relation,
        sex=sex,
        birth_date=birth,
        ethnicity=people.ethnicity_for(rng),
        political=people.political_for(rng, age),
        education=education,
        student_status=student_status,
        health=health,
        labour=labour,
        work_status=work_status,
        work_months=work_months,
        medical_insurance=True,
        serious_illness_insurance=True,
        pension_insurance=adult and rng.random() < 0.93,
        dibao=False,
        tekun=False,
        status="1",
    )


def _ensure_worker(rng: random.Random, members: list[Member]) -> None:
    """A household with labour has someone in stable work, the months HH-014 asks for."""
    able = [m for m in members if m.labour in HAS_LABOUR]
    if able and not any(_in_stable_work(m) for m in able):
        worker = rng.choice(able)
        worker.work_status, months = people.start_work(rng)
        worker.work_months = max(months, STABLE_WORK_MONTHS)


def _in_stable_work(member: Member) -> bool:
    return member.work_status != NOT_WORKING and (member.work_months or 0) >= STABLE_WORK_MONTHS


def _set_welfare(members: list[Member], attribute: str) -> None:
    for member in members:
        member.dibao = attribute == DIBAO
        member.tekun = attribute == TEKUN


# --- household --------------------------------------------------------------------------------


def _set_timeline(rng: random.Random, household: Household, *, exited: bool | None) -> None:
    year = rng.choices(*zip(*IDENTIFIED_YEARS, strict=True))[0]
    month = rng.randint(4, 10) if year == 2014 else rng.randint(1, 12)
    household.identified_month = datetime.date(year, month, 1)
    if exited is None:
        exited = rng.random() < EXITED_SHARE
    household.exit_status = EXITED if exited else NOT_EXITED
    household.household_type = household_type_for(household.exit_status)
    household.exit_month = _exit_month(rng, household.identified_month) if exited else None


def _exit_month(rng: random.Random, identified: datetime.date) -> datetime.date:
    earliest = datetime.date(identified.year + 1, identified.month, 1)
    years = [y for y in EXIT_YEARS if y >= max(earliest.year, 2016)]
    year = rng.choices(years, weights=[EXIT_YEARS[y] for y in years])[0]
    first_month = earliest.month if year == earliest.year else 1
    month = 12 if rng.random() < 0.6 else rng.randint(first_month, 12)
    return datetime.date(year, month, 1)


def _set_causes(rng: random.Random, household: Household, members: list[Member]) -> None:
    candidates = dict(GENERIC_CAUSES) if any(m.labour in HAS_LABOUR for m in members) else {}
    if any(m.health in (CHRONIC, SERIOUS) for m in members):
        candidates[ILLNESS] = 70
    if any(m.health == DISABLED for m in members):
        candidates[DISABILITY] = 30
    if any(m.student_status and m.student_status != people.STAGES["preschool"] for m in members):
        candidates[SCHOOLING] = 15
    if _labour_short(members):
        candidates[LABOUR] = 18
    main = rng.choices(list(candidates), weights=list(candidates.values()))[0]
    others = [c for c in OTHER_CAUSES if c != main]
    household.main_cause = main
    household.other_causes = join_codes(rng.sample(others, rng.choices((0, 1, 2), weights=(30, 45, 25))[0]))


def _labour_short(members: list[Member]) -> bool:
    """缺劳力 is plausible: at most a quarter (a half in 4+ person households) can work (CM-007)."""
    share = sum(m.labour in HAS_LABOUR for m in members) / len(members)
    return share <= (0.5 if len(members) >= 4 else 0.25)


def _set_conditions(rng: random.Random, household: Household) -> None:
    household.farmland_area = round(rng.uniform(0.5, 8.0), 1)
    household.is_dangerous_house, household.housing_grade = False, ""
    household.water_safe, household.water_difficult, household.has_electricity = True, False, True
    if household.exit_status == EXITED:
        return
    if rng.random() < 0.2:
        household.is_dangerous_house, household.housing_grade = True, rng.choice("CCD")
    if rng.random() < 0.15:
        household.water_safe, household.water_difficult = False, rng.random() < 0.5
    household.has_electricity = rng.random() < 0.99


def _set_helper(ctx: Context, household: Household, village: Village, village_size: int) -> None:
    if ctx.helper_quota and village.township_id == ctx.helper_township_id:
        ctx.helper_quota -= 1
        account = ctx.helper_account
        household.helper = account
        household.helper_name = account.last_name + account.first_name
        household.helper_phone = account.profile.phone
        return
    pool = ctx.helpers.get(village.pk)
    if pool is None:
        pool = [(ctx.surname() + people.given_name(ctx.rng, ctx.rng.choice("12"), 1975), ctx.phone())]
        pool += [
            (ctx.surname() + people.given_name(ctx.rng, "1", 1970), ctx.phone())
            for _ in range(village_size // 8)
        ]
        ctx.helpers[village.pk] = pool
    household.helper_name, household.helper_phone = ctx.rng.choice(pool)
