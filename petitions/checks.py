"""Logic checks of petitions and the safeguards after exit, registered in the household rule
engine (households/checks): PT-001 repeated petitions, PT-002 insurance, PT-003 五保 care.

- PT-001: petitions on the household received in the last `months` months (counted back
  from the reference date), at least `count` of them.
- PT-002: a household monitored (case in risk not eliminated) as 脱贫不稳定户 or 边缘易致贫户
  with no 防贫保险 enrolment in a policy of the reference year.
- PT-003: a member of a 特困供养 household recorded as scattered (分散供养) and partly or fully
  dependent, without both a carer and an agreement date. No care record: not judged.
"""

import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from households.checks.base import household_hits
from households.checks.registry import WARNING, Hit, Param, rule
from households.models import MonitoringCase
from households.models.monitoring import MONITORED_STATES

from .models import Care, CareForm, Dependency, Enrollment, InsurancePolicy, Petition

UNSTABLE_CATEGORIES = ("M1", "M2")  # monitor_category 脱贫不稳定户, 边缘易致贫户
FIVE_GUARANTEE = "3"  # attribute 特困供养贫困户


def months_before(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    try:
        return day.replace(year=year, month=month + 1)
    except ValueError:  # 31st of a shorter month
        return (
            datetime.date(year, month + 2, 1) if month < 11 else datetime.date(year + 1, 1, 1)
        ) - datetime.timedelta(days=1)


@rule(
    "PT-001",
    _lazy("Repeated petitions on the household"),
    severity=WARNING,
    fields=("petitions",),
    source="s001",
    params=(
        Param("count", 2, _lazy("petitions that make a repeat"), parameter="petition_repeat_count"),
        Param("months", 12, _lazy("within this many months"), parameter="petition_repeat_months"),
    ),
)
def repeated_petitions(ctx):
    count, months = int(ctx.params["count"]), int(ctx.params["months"])
    since = months_before(ctx.today, months)
    links = (
        Petition.households.through.objects.filter(
            household__in=ctx.household_ids, petition__date__gt=since, petition__date__lte=ctx.today
        )
        .values("household_id")
        .annotate(n=Count("petition_id"))
        .filter(n__gte=count)
    )
    for row in links:
        message = _("%(n)d petitions in %(months)d months") % {"n": row["n"], "months": months}
        yield Hit(row["household_id"], None, message)


@rule(
    "PT-002",
    _lazy("Monitored unstable or marginal household not enrolled in 防贫保险"),
    severity=WARNING,
    fields=("monitoring", "insurance"),
    source="s001",
    blank_note=_lazy("Silent in a year for which the county has recorded no 防贫保险 policy."),
)
def monitored_without_insurance(ctx):
    if not InsurancePolicy.objects.filter(year=ctx.today.year).exists():
        return  # no scheme recorded this year: enrolment is unrecorded, not missing
    monitored = MonitoringCase.objects.filter(
        household=OuterRef("pk"), state__in=MONITORED_STATES, category__in=UNSTABLE_CATEGORIES
    )
    enrolled = Enrollment.objects.filter(household=OuterRef("pk"), policy__year=ctx.today.year)
    yield from household_hits(ctx, ctx.households.filter(Exists(monitored)).exclude(Exists(enrolled)))


@rule(
    "PT-003",
    _lazy("Dependent scattered 五保 person with neither centralised care nor a care agreement"),
    severity=WARNING,
    fields=("five_guarantee_care",),
    source="s001",
    blank_note=_lazy("A 特困 person with no care record is not judged."),
)
def scattered_without_agreement(ctx):
    rows = Care.objects.filter(
        member__household__in=ctx.households.filter(attribute=FIVE_GUARANTEE).values("pk"),
        form=CareForm.SCATTERED,
        dependency__in=(Dependency.PARTLY, Dependency.FULLY),
    ).filter(Q(carer="") | Q(agreement_date__isnull=True))
    for household_id, member_id, name in rows.values_list(
        "member__household_id", "member_id", "member__name"
    ):
        yield Hit(household_id, member_id, f"{name}：{ctx.title}")
