"""Visits of the demo helper's households over the last ~60 days; some households overdue.

A random stream of its own, so the register the main stream builds stays as it was.
"""

import datetime
import random

from simple_history.utils import bulk_create_with_history

from households.models import Household, Visit

from .writer import CHANGE_REASON

DAYS_BACK = 60
DONE = (
    "了解家庭收入和务工情况，宣讲帮扶政策",
    "核实两不愁三保障情况，查看住房和饮水",
    "帮助联系就业岗位，登记务工意向",
    "询问医疗报销进度，讲解慢病签约服务",
    "督促子女按时上学，了解教育资助落实",
)
PROBLEMS = ("", "", "", "屋顶局部漏雨，已报村委", "医疗报销尚未到账", "缺少务工门路")


def build_visits(helper, *, as_of: datetime.date, seed: int) -> int:
    """Every fourth household is overdue (last visit 35+ days ago), the last one never visited."""
    if helper is None:
        return 0
    rng = random.Random(f"visits-{seed}")
    households = list(
        Household.objects.filter(helper=helper).order_by("number").values_list("pk", "head_name")
    )
    visits = []
    for index, (pk, head_name) in enumerate(households):
        if index == len(households) - 1 and index:
            continue  # never visited
        overdue = index % 4 == 3
        day = as_of - datetime.timedelta(days=rng.randint(35, 50) if overdue else rng.randint(0, 20))
        while day >= as_of - datetime.timedelta(days=DAYS_BACK):
            visits.append(
                Visit(
                    household_id=pk,
                    helper=helper,
                    created_by=helper,
                    date=day,
                    kind=rng.choice(("1", "1", "1", "2", "3")),
                    done=rng.choice(DONE),
                    problems=rng.choice(PROBLEMS),
                    confirmed_by=head_name,
                )
            )
            day -= datetime.timedelta(days=rng.randint(10, 25))
    bulk_create_with_history(visits, Visit, default_user=helper, default_change_reason=CHANGE_REASON)
    return len(visits)
