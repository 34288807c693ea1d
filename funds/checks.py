"""FD-001…FD-004: fund rules in the logic-check engine (DOMAIN.md §10.1, seed 001 "pay in step").

A violation is kept per household (households/checks/runner.py). A project rule's hit goes,
as the village rules' do, on the first household (lowest village code, then number) of the
project's villages, with the project named in the message; it is only given when that
household is in the scope being checked. The subsidy rule's hit is on the household itself.
Registered when the funds app is ready (apps.py).
"""

from django.db.models import Exists, F, OuterRef, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from households.checks.registry import ERROR, WARNING, Hit, rule
from households.models import Household

from .models import Asset, Beneficiary, Project, Status
from .progress import behind_q
from .queries import with_money
from .services import OFF_REGISTER_EXIT_STATUSES

SOURCE = "DOMAIN.md §10.1"


def _anchored(ctx, qs):
    first = Household.objects.filter(village__fund_projects=OuterRef("pk")).order_by(
        "village__code", "number"
    )
    return qs.annotate(anchor=Subquery(first.values("pk")[:1])).filter(anchor__in=ctx.household_ids)


def _hit(project, message) -> Hit:
    return Hit(project.anchor, None, f"{project.number} {project.name}：{message}")


@rule(
    "FD-001",
    _lazy("Payment ahead of the project's completion"),
    severity=ERROR,
    fields=("fund_payments",),
    source=SOURCE,
)
def payment_ahead_of_completion(ctx):
    """Paid more than the budget × the reported completion share (资金拨付与项目实施一致)."""
    projects = with_money(_anchored(ctx, Project.objects.exclude(status=Status.WITHDRAWN))).filter(
        paid_total__gt=F("budget_total") * F("completion_percent") / 100
    )
    for p in projects.order_by("number"):
        yield _hit(
            p,
            _("paid %(paid)s yuan at %(percent)s%% completion of a %(budget)s yuan budget")
            % {"paid": p.paid_total, "percent": p.completion_percent, "budget": p.budget_total},
        )


@rule(
    "FD-002",
    _lazy("Accepted project without a recorded asset"),
    severity=ERROR,
    fields=("fund_assets",),
    source="seed 003 (扶贫资产)",
)
def accepted_without_asset(ctx):
    assets = Asset.objects.filter(project=OuterRef("pk"))
    projects = _anchored(ctx, Project.objects.filter(status__in=(Status.ACCEPTED, Status.REIMBURSED)))
    for p in projects.filter(~Exists(assets)).order_by("number"):
        yield _hit(p, _("accepted on %(date)s, no asset recorded") % {"date": p.accepted_on})


@rule(
    "FD-003",
    _lazy("Household subsidy to a household off the register or outside the project's villages"),
    severity=ERROR,
    fields=("fund_beneficiaries",),
    source=SOURCE,
)
def subsidy_outside(ctx):
    in_villages = Project.villages.through.objects.filter(
        project_id=OuterRef("project_id"), village_id=OuterRef("household__village_id")
    )
    rows = (
        Beneficiary.objects.filter(household__in=ctx.household_ids)
        .annotate(inside=Exists(in_villages))
        .select_related("project", "household")
        .order_by("household__number", "project__number")
    )
    for b in rows:
        if b.household.exit_status in OFF_REGISTER_EXIT_STATUSES:
            yield Hit(
                b.household_id,
                None,
                _("%(project)s: the household is no longer on the register") % {"project": b.project.number},
            )
        elif not b.inside:
            yield Hit(
                b.household_id,
                None,
                _("%(project)s: the household lives outside the project's villages")
                % {"project": b.project.number},
            )


@rule(
    "FD-004",
    _lazy("Project past its planned completion without a reason"),
    severity=WARNING,
    fields=("fund_projects",),
    source="seed 000",
)
def behind_without_reason(ctx):
    projects = _anchored(ctx, Project.objects.filter(behind_q(ctx.today), delay_reason=""))
    for p in projects.order_by("number"):
        yield _hit(p, _("planned completion %(date)s passed") % {"date": p.planned_completion})
