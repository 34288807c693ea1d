"""Reads of the register, scoped to what a user may see (the one place scope is decided)."""

from django.db.models import QuerySet

from povertycase.accounts.models import COUNTY_WIDE_READERS, Role, role_of

from .models import Household, Member, Township, Village


def households_visible_to(user) -> QuerySet[Household]:
    qs = Household.objects.select_related("village__township")
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs
    role = role_of(user)
    profile = getattr(user, "profile", None)
    if role in COUNTY_WIDE_READERS:
        return qs
    if role == Role.TOWNSHIP:
        return qs.filter(village__township_id=profile.township_id)
    if role == Role.VILLAGE:
        return qs.filter(village_id=profile.village_id)
    if role == Role.HELPER:
        return qs.filter(helper=user)
    return qs.none()


def members_visible_to(user) -> QuerySet[Member]:
    return Member.objects.filter(household__in=households_visible_to(user).values("pk"))


def villages_visible_to(user) -> QuerySet[Village]:
    qs = Village.objects.select_related("township")
    role = role_of(user)
    if user.is_superuser or role in COUNTY_WIDE_READERS:
        return qs
    if role == Role.TOWNSHIP:
        return qs.filter(township_id=user.profile.township_id)
    if role == Role.VILLAGE:
        return qs.filter(pk=user.profile.village_id)
    if role == Role.HELPER:
        return qs.filter(households__helper=user).distinct()
    return qs.none()


def townships_visible_to(user) -> QuerySet[Township]:
    return Township.objects.filter(pk__in=villages_visible_to(user).values("township_id"))


def households_summary(*, user) -> dict:
    """Counts for the home page, over the user's scope only."""
    from django.db.models import Count, Q

    from povertycase.core import codes

    qs = households_visible_to(user)
    totals = qs.aggregate(
        households=Count("pk"),
        not_exited=Count("pk", filter=Q(exit_status="0")),
        villages=Count("village", distinct=True),
    )
    by_attribute = {
        row["attribute"]: row["n"] for row in qs.order_by().values("attribute").annotate(n=Count("pk"))
    }
    members = members_visible_to(user).filter(status="1").count()
    return {
        **totals,
        "members": members,
        "by_attribute": [(label, by_attribute.get(code, 0)) for code, label in codes.choices("attribute")],
    }


def visit_interval_days() -> int:
    """Days a helper may go without visiting (parameter `visit_interval_days`, county row first)."""
    from povertycase.core.models import Parameter

    row = (
        Parameter.objects.filter(name="visit_interval_days", year__isnull=True)
        .order_by("-region_code")
        .values_list("value", flat=True)
        .first()
    )
    return int(row) if row is not None and row > 0 else 30


def visits_visible_to(user):
    """Visits of the households the user may see (the household decides the scope)."""
    from .models import Visit

    return Visit.objects.filter(household__in=households_visible_to(user).values("pk"))


def helper_households(user):
    """The households assigned to `user`, with the date of their last visit."""
    from django.db.models import F, Max

    return (
        households_visible_to(user)
        .filter(helper=user)
        .annotate(last_visit=Max("visits__date"))
        .order_by(F("last_visit").asc(nulls_first=True), "number")
    )


def helper_assignments(household: Household) -> list[dict]:
    """Newest first: each time the household's helper account changed, by whom and why (1 query)."""
    records = household.history.select_related("helper__profile__department", "history_user").order_by(
        "history_date", "history_id"
    )
    changes, previous = [], None
    for index, record in enumerate(records):
        if record.helper_id != previous and (index or record.helper_id is not None):
            changes.append(
                {
                    "when": record.history_date,
                    "helper": record.helper,
                    "by": record.history_user,
                    "reason": record.history_change_reason or "",
                }
            )
        previous = record.helper_id
    return changes[::-1]
