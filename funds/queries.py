"""Reads of the funds ledger, scoped to what a user may see (the one place that decides it)."""

from django.db.models import Q, QuerySet

from povertycase.accounts.models import Role, role_of

from . import rules
from .models import Allocation, Asset, Beneficiary, BudgetLine, Payment, Project


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
