"""Reads of petitions, scoped to what a user may see (the one place that decides it)."""

import datetime

from django.db.models import Count, Q, QuerySet

from households.queries import households_visible_to
from povertycase.accounts.models import Role, role_of

from .models import OPEN_STATES, Care, InsurancePolicy, Petition, State


def petitions_visible_to(user) -> QuerySet[Petition]:
    """Command office and inspectors: all; a township: its area's and those it handles; a
    department: those it handles; village and helper: those on their households."""
    qs = Petition.objects.select_related(
        "category__parent", "township", "handling_township", "handling_department", "handling_person"
    )
    if not user.is_authenticated:
        return qs.none()
    role = role_of(user)
    if user.is_superuser or role in (Role.COMMAND, Role.INSPECTOR):
        return qs
    profile = user.profile
    if role == Role.TOWNSHIP:
        return qs.filter(Q(township_id=profile.township_id) | Q(handling_township_id=profile.township_id))
    if role == Role.DEPARTMENT:
        return qs.filter(handling_department_id=profile.department_id)
    if role in (Role.VILLAGE, Role.HELPER):
        links = Petition.households.through.objects.filter(
            household__in=households_visible_to(user).values("pk")
        )
        return qs.filter(pk__in=links.values("petition_id"))
    return qs.none()


def petitions_of_household(user, household) -> QuerySet[Petition]:
    return petitions_visible_to(user).filter(households=household)


def state_counts(qs: QuerySet[Petition], *, today: datetime.date) -> dict:
    aggregates = {s.value: Count("pk", filter=Q(state=s.value)) for s in State}
    aggregates["overdue"] = Count("pk", filter=Q(state__in=OPEN_STATES, deadline__lt=today))
    aggregates["total"] = Count("pk")
    return qs.order_by().aggregate(**aggregates)


def policies_visible_to(user) -> QuerySet[InsurancePolicy]:
    return InsurancePolicy.objects.all() if user.is_authenticated else InsurancePolicy.objects.none()


def care_visible_to(user) -> QuerySet[Care]:
    return Care.objects.filter(member__household__in=households_visible_to(user).values("pk")).select_related(
        "member__household__village__township"
    )
