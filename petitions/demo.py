"""Demo petitions, a half-done revisit campaign, 防贫保险 and 五保 care for the demo county.

Connected to households' demo signals (apps.py) like the ledger's demo; petitions are built
through the services so every step has its trail.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from households.models import Department, Household, Member
from povertycase.errors import DomainError

from . import campaigns, safeguards, services
from .checks import FIVE_GUARANTEE
from .ledger import petition_open_item
from .models import (
    Attachment,
    Campaign,
    CampaignEntry,
    Care,
    Claim,
    Enrollment,
    InsurancePolicy,
    Petition,
    Revisit,
    Step,
)

CONTENTS = [
    ("0701", "房屋漏雨开裂，申请危房改造一直未答复。"),
    ("0901", "家中老人长期患病，申请低保未获批准。"),
    ("0801", "村里自来水经常停水，夏天尤为严重。"),
    ("0601", "住院报销比例与政策宣传不一致。"),
    ("0501", "孩子上高中的雨露计划补助未到账。"),
    ("0403", "产业奖补资金发放名单不公开。"),
    ("0302", "认为本户退出时收入计算偏高，不认可。"),
    ("0202", "反映邻户家庭条件较好却被识别为贫困户。"),
]
NAMES = ["罗大明", "潘秀英", "杨光荣", "吴世平", "龙金花", "石永福", "张德贵", "李桂芳"]
# final state of each demo petition, in order
PLAN = (
    ["registered"] * 5
    + ["handling"] * 6
    + ["overdue"] * 4
    + ["replied"] * 6
    + ["revisited"] * 5
    + ["closed"] * 12
    + ["reopened"] * 2
    + ["escalated"]
)


def on_demo_resetting(**kwargs) -> None:
    wipe_petitions()


def on_demo_seeded(*, seed, today, report, **kwargs) -> None:
    result = seed_petitions(rng=random.Random(seed), today=today)
    r = result
    report(
        f"Petitions: {r['petitions']}, campaign {r['campaign_done']}/{r['campaign_total']} revisited, "
        f"{r['enrolled']} households insured, {r['claims']} claims, {r['care']} 五保 care records."
    )


def wipe_petitions() -> None:
    for model in (
        CampaignEntry,
        Revisit,
        Campaign,
        Attachment,
        Step,
        Claim,
        Enrollment,
        InsurancePolicy,
        Care,
        Petition,
    ):
        model.objects.all().delete()
    for model in (CampaignEntry, Revisit, Campaign, Claim, Enrollment, InsurancePolicy, Care, Petition):
        model.history.model.objects.all().delete()


def _users():
    names = ["command", "township", "department", "village"]
    return {
        u.username: u for u in get_user_model().objects.filter(username__in=names).select_related("profile")
    }


@transaction.atomic
def seed_petitions(*, rng, today: datetime.date) -> dict:
    wipe_petitions()
    users = _users()
    if len(users) < 4:
        return {
            "petitions": 0,
            "campaign_done": 0,
            "campaign_total": 0,
            "enrolled": 0,
            "claims": 0,
            "care": 0,
        }
    township_user, command = users["township"], users["command"]
    area = Household.objects.filter(village__township=township_user.profile.township).order_by("number")
    households = list(area[:60])
    department = users["department"].profile.department or Department.objects.first()
    from rectification.models import Category

    categories = {c.code: c for c in Category.objects.filter(code__in=[c for c, _ in CONTENTS])}
    created = []
    for n, final in enumerate(PLAN):
        code, content = CONTENTS[n % len(CONTENTS)]
        back = rng.randint(2, 9) if final in ("registered", "handling") else rng.randint(20, 300)
        date = today - datetime.timedelta(days=back)
        household = households[n % len(households)] if households else None
        if n == 1 and households:  # a household with two petitions this year: PT-001
            household = households[0]
        data = {
            "channel": rng.choice(["01", "02", "03", "04", "05", "06"]),
            "date": date,
            "anonymous": n % 9 == 4,
            "complainant_name": NAMES[n % len(NAMES)],
            "complainant_phone": f"139{rng.randint(10000000, 99999999)}",
            "category": categories.get(code) or Category.objects.filter(parent__isnull=False).first(),
            "content": content,
        }
        petition = services.petition_register(
            user=township_user, data=data, households=[household] if household else []
        )
        _advance(petition, final, users, department, today)
        created.append(petition)
    _to_ledger(created, command)
    done, total = _campaign(rng, command, today)
    enrolled, claims = _insurance(rng, command, today)
    care = _care(rng, command)
    return {
        "petitions": len(created),
        "campaign_done": done,
        "campaign_total": total,
        "enrolled": enrolled,
        "claims": claims,
        "care": care,
    }


def _to_ledger(created, command) -> None:
    """The latest dissatisfied petition opens a ledger item, in a category the ledger already uses."""
    from rectification.models import Item

    used = set(Item.objects.values_list("category_id", flat=True))
    for petition in reversed(created):
        petition.refresh_from_db()
        if petition.reopened_count and petition.category_id in used and petition.handling_unit is not None:
            petition_open_item(user=command, petition=petition)
            return


def _advance(petition, final, users, department, today) -> None:
    township_user, dept_user = users["township"], users["department"]
    if final == "registered":
        return
    if final == "overdue":
        Petition.objects.filter(pk=petition.pk).update(
            deadline=today - datetime.timedelta(days=3 + petition.pk % 9)
        )
        petition.refresh_from_db()
    services.petition_accept(user=township_user, petition=petition)
    if final in ("handling", "overdue"):
        return
    handler = township_user
    if petition.pk % 2 and department:
        services.petition_transfer(
            user=township_user, petition=petition, department=department, note="属行业部门职责"
        )
        handler = dept_user
    services.petition_reply(
        user=handler, petition=petition, reply="已调查核实，按政策办理并向信访人当面答复。", date=today
    )
    if final == "replied":
        return
    dissatisfied = final in ("reopened", "escalated")
    services.petition_revisit(
        user=township_user,
        petition=petition,
        date=today,
        result="信访人认为问题未解决。" if dissatisfied else "信访人对答复表示认可。",
        satisfaction="dissatisfied" if dissatisfied else ("satisfied" if petition.pk % 3 else "mostly"),
        escalate=final == "escalated",
    )
    if final == "closed":
        services.petition_close(user=township_user, petition=petition)


def _campaign(rng, command, today) -> tuple[int, int]:
    try:
        campaign = campaigns.campaign_create(
            user=command,
            name=f"{today.year}年信访大回访",
            period_from=today - datetime.timedelta(days=365),
            period_to=today,
        )
    except DomainError:  # no replied petition in the demo window
        return 0, 0
    entries = list(campaign.entries.select_related("petition"))
    for entry in entries[: len(entries) // 2]:
        campaigns.campaign_revisit(
            user=command,
            entry=entry,
            date=today,
            result="电话回访，问题已解决。",
            satisfaction=rng.choice(["satisfied", "satisfied", "mostly"]),
        )
    return len(entries) // 2, len(entries)


def _insurance(rng, command, today) -> tuple[int, int]:
    from decimal import Decimal

    policy = safeguards.policy_create(
        user=command,
        year=today.year,
        insurer="中国人民财产保险股份有限公司",
        premium=Decimal("100.00"),
        payer="1",
    )
    count = safeguards.policy_enroll(user=command, policy=policy)
    extra = list(Household.objects.exclude(insurance_enrollments__policy=policy).order_by("number")[:5])
    count += safeguards.policy_enroll(user=command, policy=policy, households=extra) if extra else 0
    claims = 0
    for enrollment, cause in zip(policy.enrollments.order_by("pk")[:4], ["1", "2", "3", "4"], strict=False):
        safeguards.claim_create(
            user=command,
            enrollment=enrollment,
            cause=cause,
            amount=Decimal(rng.randint(8, 60) * 100),
            paid_on=today - datetime.timedelta(days=rng.randint(5, 60)),
        )
        claims += 1
    return count, claims


def _care(rng, command) -> int:
    members = list(
        Member.objects.filter(household__attribute=FIVE_GUARANTEE, status="1").order_by(
            "household__number", "seq"
        )[:12]
    )
    forms = [
        {"dependency": "fully", "form": "care_home", "institution": "城关镇中心敬老院"},
        {"dependency": "partly", "form": "turnover", "institution": "村级幸福周转房"},
        {
            "dependency": "partly",
            "form": "scattered",
            "carer": "侄子",
            "agreement_date": timezone.localdate(),
        },
        {"dependency": "self_care", "form": "scattered"},
        {"dependency": "fully", "form": "scattered"},  # neither: PT-003
    ]
    for n, member in enumerate(members):
        safeguards.care_save(user=command, member=member, data=dict(forms[n % len(forms)]))
    return len(members)
