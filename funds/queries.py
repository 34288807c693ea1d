"""Reads of the funds ledger, scoped to what a user may see (the one place that decides it)."""

from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from povertycase.accounts.models import Role, role_of

from . import rules
from .models import Allocation, Asset, Beneficiary, BudgetLine, CompletionReport, Payment, Project


def projects_visible_to(user) -> QuerySet[Project]:
    qs = Project.objects.select_related("implementing_township", "implementing_department")
    if not user.is_authenticated:
        return qs.none()
    if rules.sees_all(user):
        return qs
    profile = getattr(user, "profile", None)
    role = role_of(user)
    if role == Role.DEPARTMENT:
        return qs.filter(implementing_department_id=profile.department_id)
    if role == Role.TOWNSHIP:
        in_villages = Project.villages.through.objects.filter(village__township_id=profile.township_id)
        return qs.filter(
            Q(implementing_township_id=profile.township_id) | Q(pk__in=in_villages.values("project_id"))
        )
    if role == Role.VILLAGE:
        in_village = Project.villages.through.objects.filter(village_id=profile.village_id)
        return qs.filter(pk__in=in_village.values("project_id"))
    return qs.none()


def allocations_visible_to(user) -> QuerySet[Allocation]:
    qs = Allocation.objects.select_related("receiving_township", "receiving_department")
    if not user.is_authenticated:
        return qs.none()
    if rules.sees_all(user):
        return qs
    profile = getattr(user, "profile", None)
    role = role_of(user)
    if role == Role.DEPARTMENT:
        return qs.filter(receiving_department_id=profile.department_id)
    if role == Role.TOWNSHIP:
        return qs.filter(receiving_township_id=profile.township_id)
    return qs.none()


def payments_visible_to(user) -> QuerySet[Payment]:
    return Payment.objects.filter(project__in=projects_visible_to(user).values("pk"))


def budget_lines_visible_to(user) -> QuerySet[BudgetLine]:
    return BudgetLine.objects.filter(project__in=projects_visible_to(user).values("pk"))


def beneficiaries_visible_to(user) -> QuerySet[Beneficiary]:
    return Beneficiary.objects.filter(project__in=projects_visible_to(user).values("pk"))


def assets_visible_to(user) -> QuerySet[Asset]:
    return Asset.objects.filter(project__in=projects_visible_to(user).values("pk"))


def with_money(qs: QuerySet[Project]) -> QuerySet[Project]:
    """Each project's budget and what was paid, as two correlated sums (no extra query per row)."""
    budget = (
        BudgetLine.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    paid = (
        Payment.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    return qs.annotate(
        budget_total=Coalesce(
            Subquery(budget), Value(Decimal(0)), output_field=DecimalField(max_digits=14, decimal_places=2)
        ),
        paid_total=Coalesce(
            Subquery(paid), Value(Decimal(0)), output_field=DecimalField(max_digits=14, decimal_places=2)
        ),
    )


def allocations_with_use(qs: QuerySet[Allocation]) -> QuerySet[Allocation]:
    assigned = (
        BudgetLine.objects.filter(allocation=OuterRef("pk"))
        .order_by()
        .values("allocation")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    paid = (
        Payment.objects.filter(allocation=OuterRef("pk"))
        .order_by()
        .values("allocation")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    money = DecimalField(max_digits=14, decimal_places=2)
    return qs.annotate(
        assigned_total=Coalesce(Subquery(assigned), Value(Decimal(0)), output_field=money),
        paid_total=Coalesce(Subquery(paid), Value(Decimal(0)), output_field=money),
    )


def board_rows(user, village, year: int) -> QuerySet[Beneficiary]:
    """The village board: this year's subsidies to the village's households (no ID numbers)."""
    return (
        beneficiaries_visible_to(user)
        .filter(household__village=village, year=year)
        .select_related("household", "project")
        .order_by("household__group_name", "household__number", "project__number")
    )


def completion_reports_visible_to(user) -> QuerySet[CompletionReport]:
    return CompletionReport.objects.filter(project__in=projects_visible_to(user).values("pk"))


def behind_filter(as_of):
    from .progress import behind_q

    return behind_q(as_of)
