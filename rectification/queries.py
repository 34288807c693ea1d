"""Reads of the ledger, scoped to what a user may see (the one place that decides it)."""

import datetime

from django.db.models import Count, Q, QuerySet

from povertycase.accounts.models import Role, role_of

from .models import WORKING, Evidence, Item, Status


def items_visible_to(user) -> QuerySet[Item]:
    qs = Item.objects.select_related(
        "category__parent", "responsible_township", "responsible_department", "responsible_person"
    )
    if not user.is_authenticated:
        return qs.none()
    role = role_of(user)
    if user.is_superuser or role in (Role.COMMAND, Role.INSPECTOR):
        return qs
    profile = user.profile
    mine = Q(responsible_person=user)
    if role == Role.TOWNSHIP:
        return qs.filter(
            mine | Q(responsible_township_id=profile.township_id) | Q(target_township_id=profile.township_id)
        )
    if role == Role.VILLAGE:
        return qs.filter(mine | Q(target_village_id=profile.village_id))
    if role == Role.DEPARTMENT:
        return qs.filter(
            mine
            | Q(responsible_department_id=profile.department_id)
            | Q(target_department_id=profile.department_id)
        )
    return qs.none()


def my_items(user) -> QuerySet[Item]:
    """The items the user works: as the responsible person or a cadre of the responsible unit."""
    qs = items_visible_to(user)
    profile = getattr(user, "profile", None)
    mine = Q(responsible_person=user)
    if profile and profile.role == Role.TOWNSHIP:
        mine |= Q(responsible_township_id=profile.township_id)
    elif profile and profile.role == Role.DEPARTMENT:
        mine |= Q(responsible_department_id=profile.department_id)
    return qs.filter(mine)


def evidence_visible_to(user) -> QuerySet[Evidence]:
    return Evidence.objects.filter(item__in=items_visible_to(user).values("pk"))


def status_counts(qs: QuerySet[Item], *, today: datetime.date) -> dict:
    """Items per status plus the derived overdue count, in one query."""
    aggregates = {s.value: Count("pk", filter=Q(status=s.value)) for s in Status}
    aggregates["overdue"] = Count("pk", filter=Q(status__in=WORKING, deadline__lt=today))
    aggregates["total"] = Count("pk")
    return qs.order_by().aggregate(**aggregates)
