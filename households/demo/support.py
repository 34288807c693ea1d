"""A demo household's assistance measures and its income record for the income year."""

import datetime
import random
from decimal import Decimal

from households.models import AssistanceMeasure, Household, IncomeRecord, Member

from .people import CHRONIC, DISABLED, HAS_LABOUR, NOT_WORKING, SERIOUS, age_of
from .vocab import (
    ASSET_INCOME,
    DIBAO,
    DISABILITY,
    DISASTER,
    ECOLOGY,
    EDUCATION,
    EMPLOYMENT,
    EXITED,
    FINANCE,
    FUNDS,
    HEALTH,
    HOUSING,
    ILLNESS,
    INCOME_YEAR,
    INDUSTRY,
    LABOUR,
    LAND,
    MOTIVATION,
    PUBLIC_POST,
    RELOCATION,
    SCHOOLING,
    SKILLS,
    TEKUN,
    TRAINING,
    TRANSPORT,
    WATER,
    WELFARE,
)

MEASURE_INFO = {
    INDUSTRY: ("农业农村局", ("产业奖补", "入股分红", "订单收购", "技术服务"), (1000, 5000)),
    EMPLOYMENT: ("人社局", ("劳务输出", "外出务工交通补贴", "扶贫车间就业"), (300, 1500)),
    TRAINING: ("人社局", ("技能培训", "实用技术培训"), (500, 2000)),
    EDUCATION: ("教育局", ("学生资助", "营养改善计划"), (1000, 3000)),
    HEALTH: ("卫健委", ("城乡居民医保个人缴费补贴", "家庭医生签约", "医疗救助"), (200, 5000)),
    HOUSING: ("住建局", ("危房改造",), (15000, 35000)),
    RELOCATION: ("发改委", ("集中安置", "分散安置"), (20000, 60000)),
    WELFARE: ("民政局", ("农村低保", "特困供养", "残疾人补贴"), (2000, 8000)),
    FINANCE: ("财政局", ("扶贫小额信贷",), (20000, 50000)),
    ECOLOGY: ("林业局", ("生态护林员",), (6000, 10000)),
    PUBLIC_POST: ("人社局", ("保洁员", "护路员", "护林员"), (3600, 6000)),
    ASSET_INCOME: ("农业农村局", ("光伏收益分红", "资产收益分红"), (400, 1500)),
}


def measures_for(ctx, household: Household, members: list[Member]) -> list[AssistanceMeasure]:
    rng = ctx.rng
    working = any(m.work_status != NOT_WORKING for m in members)
    welfare = household.attribute in (DIBAO, TEKUN)
    items = [_cause_item(rng, household.main_cause, working=working, welfare=welfare)]
    if welfare and WELFARE not in items:
        items.append(WELFARE)
    pool = [INDUSTRY, ASSET_INCOME, HOUSING]
    if any(m.labour in HAS_LABOUR for m in members):
        pool.append(FINANCE)
    if working:
        pool += [EMPLOYMENT, PUBLIC_POST, ECOLOGY]
    if any(m.health in (CHRONIC, SERIOUS) for m in members):
        pool.append(HEALTH)
    if household.is_dangerous_house:
        items.append(HOUSING)
    target = max(len(items), rng.choice((1, 2, 2, 3, 3)))
    for item in rng.sample(pool, len(pool)):
        if len(items) >= target:
            break
        if item not in items:
            items.append(item)
    if items == [WELFARE] and any(m.labour in HAS_LABOUR for m in members):
        items.append(INDUSTRY)  # a household with labour gets more than welfare (CM-011)
    return [_measure(ctx, household, item, members) for item in items]


def _cause_item(rng: random.Random, cause: str, *, working: bool, welfare: bool) -> str:
    if cause == LAND:
        return rng.choice((INDUSTRY, RELOCATION, EMPLOYMENT) if working else (INDUSTRY, RELOCATION))
    if cause == MOTIVATION:
        return PUBLIC_POST if working else INDUSTRY
    if cause in (DISABILITY, LABOUR) and welfare:
        return WELFARE
    return {
        ILLNESS: HEALTH,
        DISABILITY: HEALTH,
        SCHOOLING: EDUCATION,
        DISASTER: HOUSING,
        WATER: INDUSTRY,
        SKILLS: TRAINING,
        LABOUR: ASSET_INCOME,
        FUNDS: rng.choice((FINANCE, INDUSTRY)),
        TRANSPORT: RELOCATION,
    }[cause]


def _measure(ctx, household: Household, item: str, members: list[Member]) -> AssistanceMeasure:
    rng = ctx.rng
    department, descriptions, (low, high) = MEASURE_INFO[item]
    last_year = household.exit_month.year if household.exit_month else INCOME_YEAR
    year = rng.randint(household.identified_month.year, max(last_year, household.identified_month.year))
    description = rng.choice(descriptions)
    if item == WELFARE:
        description = "特困供养" if household.attribute == TEKUN else "农村低保"
    if item == EDUCATION and any(m.student_status[:1] in ("5", "6") for m in members):
        description = "雨露计划"
    return AssistanceMeasure(
        household=household,
        category=ctx.item_categories[item],
        item=item,
        year=year,
        description=description,
        start_date=datetime.date(year, rng.randint(1, 12), 1),
        amount=rng.randrange(low, high + 1, 100),
        department=ctx.departments[department],
        status="2",
    )


def income_for(ctx, household: Household, members: list[Member], measures) -> IncomeRecord:
    """Components whose per-capita net lands near a target: exited households well above
    the exit line and the monitoring ranges, the others just above the poverty line."""
    rng = ctx.rng
    items = {m.item for m in measures}
    count = len(members)
    exited = household.exit_status == EXITED
    target = rng.triangular(7600, 15000, 9500) if exited else rng.triangular(4300, 7500, 5500)
    transfer = sum(_transfer(m, age_of(m, ctx.as_of)) for m in members)
    transfer += 7000 if ECOLOGY in items else 0  # a forest ranger's wage counts as a transfer
    transfer += 11 * rng.randint(0, 40)  # family-planning and other small allowances
    prop = (
        rng.randint(400, 1500)
        if ASSET_INCOME in items
        else (rng.randint(100, 800) if rng.random() < 0.2 else 0)
    )
    if INDUSTRY in items:
        business = rng.randint(3000, 12000)
    elif ASSET_INCOME in items or rng.random() < 0.7:  # IN-006 reads 资产收益 as industry support
        business = rng.randint(1000, 8000)
    else:
        business = 0
    expense = int(business * rng.uniform(0.2, 0.4))
    wage = int(target * count) - (transfer + prop + business - expense)
    if any(m.work_status != NOT_WORKING for m in members):
        wage = max(wage, rng.randint(2000, 6000))
    else:
        business, wage = business + max(wage, 0), 0
    record = IncomeRecord(
        household=household,
        year=INCOME_YEAR,
        wage_income=wage,
        business_income=business,
        transfer_income=transfer,
        property_income=prop,
        business_expense=expense,
        member_count_used=count,
    )
    finish_income(record)
    return record


def _transfer(member: Member, age: int) -> int:
    pension = 1300 if age >= 60 and member.pension_insurance else 0
    disability = 1200 if member.health == DISABLED else 0
    return 3000 * bool(member.dibao) + 5400 * bool(member.tekun) + pension + disability


def finish_income(record: IncomeRecord) -> None:
    for name in ("wage_income", "business_income", "transfer_income", "property_income", "business_expense"):
        setattr(record, name, Decimal(int(getattr(record, name))).quantize(Decimal("0.01")))
    record.compute_totals()
