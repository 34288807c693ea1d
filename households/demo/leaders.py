"""The home township's Party secretary and head: the households each keeps in touch with and their
village trips (下村) of the last weeks, enough to meet VS-005 (3 households, 2 trips a week).

One deliberate gap (`GAPS`): the head made only one trip in the last full week, so VS-005 is
raised once, on the home township's first household. Other townships have no leader accounts.
"""

import datetime
import random

from simple_history.utils import bulk_create_with_history

from households.checks.visits import week_start
from households.models import Household, VillageTrip

from .users import delete_demo_trips
from .writer import CHANGE_REASON

# gap -> the logic check it must raise
GAPS = {"mayor_one_trip_last_week": "VS-005"}
LINKED = (3, 6)  # households each leader keeps in touch with
TRIPS_A_WEEK = (2, 4)
WEEKS = 8  # full weeks before this one with trips
PURPOSES = (
    "走访贫困户，了解“两不愁三保障”落实情况",
    "督导村级扶贫项目建设进度",
    "召开村两委会议，部署脱贫攻坚重点工作",
    "检查危房改造工程质量和进度",
    "调研产业扶贫合作社运营及带贫情况",
    "核实防返贫监测对象信息，落实帮扶措施",
    "宣讲扶贫政策，听取群众意见建议",
    "查看农村饮水安全工程运行情况",
    "督查驻村工作队在岗履职情况",
    "协调解决贫困户就业务工问题",
)


def build_leaders(accounts, layout, *, as_of, seed) -> None:
    """Link the home township's households to its secretary and head and record their trips."""
    rng = random.Random(f"leaders-{seed}")
    leaders = [accounts["secretary"], accounts["mayor"]]
    delete_demo_trips(type(leaders[0]).objects.filter(pk__in=[u.pk for u in leaders]))
    township = layout.home_township
    _link_households(rng, leaders, township)
    villages = [v for v in layout.villages if v.township_id == township.pk]
    trips = []
    for leader in leaders:
        typist = accounts["township"]  # the township cadre types some of the leaders' trips
        short = leader == accounts["mayor"]
        trips += _trips(rng, leader, villages, typist, as_of=as_of, short_last_week=short)
    bulk_create_with_history(trips, VillageTrip, default_change_reason=CHANGE_REASON)


def _link_households(rng: random.Random, leaders: list, township) -> None:
    """Distinct households of the township for each leader. The demo register is entered with the
    link already made: the households' first history rows carry it too, so the trail agrees."""
    Household.objects.filter(contact_leader__in=leaders).update(contact_leader=None)
    pool = list(
        Household.objects.filter(village__township=township).order_by("number").values_list("pk", flat=True)
    )
    rng.shuffle(pool)
    start = 0
    for leader in leaders:
        chosen = pool[start : start + rng.randint(*LINKED)]
        start += len(chosen)
        Household.objects.filter(pk__in=chosen).update(contact_leader=leader)
        Household.history.filter(id__in=chosen).update(contact_leader=leader)


def _trips(
    rng, leader, villages, typist, *, as_of: datetime.date, short_last_week: bool
) -> list[VillageTrip]:
    """Trips in each of the last WEEKS full weeks and up to today in this one."""
    this_monday = week_start(as_of)
    trips = []
    for back in range(WEEKS + 1):
        monday = this_monday - datetime.timedelta(weeks=back)
        week = (monday + datetime.timedelta(days=d) for d in range(7))
        days = [day for day in week if day <= as_of]
        if back == 0:
            count = min(len(days), rng.randint(0, 2))
        elif back == 1 and short_last_week:
            count = 1  # the GAP: one trip in the last full week
        else:
            count = rng.randint(*TRIPS_A_WEEK)
        for day in sorted(rng.sample(days, count)):
            trips.append(
                VillageTrip(
                    leader=leader,
                    village=rng.choice(villages),
                    date=day,
                    purpose=rng.choice(PURPOSES),
                    created_by=typist if rng.random() < 0.25 else leader,
                )
            )
    return trips
