"""What every rule needs: the scope, the reference date, code-list facts and date helpers.

Ages are compared through birth-date bounds (`age_between`) so the database does the work
on any backend; full-year gaps between two date columns use YYYYMMDD integers (`ymd`).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, F, IntegerField, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, ExtractDay, ExtractMonth, ExtractYear, Substr

from households.codefields import ACTIVE_STATUS, HEAD_RELATION
from households.models import AssistanceMeasure, Household, IncomeRecord, Member
from povertycase.core import codes


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@dataclass
class Context:
    households: QuerySet  # Household rows in scope
    today: datetime.date
    params: dict = field(default_factory=dict)
    title: str = ""  # the running rule's title: the default message

    @property
    def household_ids(self):
        return self.households.values("pk")

    def members(self) -> QuerySet:
        """Active members (在册) of the households in scope."""
        return Member.objects.filter(household__in=self.household_ids, status=ACTIVE_STATUS)

    def measures(self) -> QuerySet:
        return AssistanceMeasure.objects.filter(household__in=self.household_ids)

    def incomes(self) -> QuerySet:
        return IncomeRecord.objects.filter(household__in=self.household_ids)

    def latest_incomes(self) -> QuerySet:
        """Each household's most recent income record."""
        newer = IncomeRecord.objects.filter(household=OuterRef("household"), year__gt=OuterRef("year"))
        return self.incomes().filter(~Exists(newer))

    def age_between(self, low: int | None, high: int | None, prefix: str = "") -> Q:
        """Age in full years at `today` within [low, high] (either end open when None)."""
        q = Q(**{f"{prefix}birth_date__isnull": False})
        if low is not None:
            q &= Q(**{f"{prefix}birth_date__lte": years_before(self.today, low)})
        if high is not None:
            q &= Q(**{f"{prefix}birth_date__gt": years_before(self.today, high + 1)})
        return q

    def exited(self) -> QuerySet:
        return self.households.filter(exit_status__in=exited_codes())


# ------------------------------------------------------------------ code-list facts


def codes_where(list_name: str, key: str, value=True) -> list[str]:
    return [c.code for c in codes.entries(list_name) if c.extra.get(key) == value]


def exited_codes() -> list[str]:
    return codes_where("exit_status", "exited")


def labour_codes() -> list[str]:
    """Codes that count as "has labour" (DOMAIN.md §2.9)."""
    return codes_where("labour", "has_labour")


def not_student_codes() -> list[str]:
    return codes_where("student_status", "not_student")


def student_q(prefix: str = "") -> Q:
    """A member currently in school: a stage is filled in and it is not 非在校生."""
    return ~Q(**{f"{prefix}student_status": ""}) & ~Q(**{f"{prefix}student_status__in": not_student_codes()})


def enrolled_reason_codes() -> list[str]:
    """未上学原因 codes that still count as enrolled: 送教上门, taught at home (DOMAIN.md §2.11)."""
    return codes_where("school_absence_reason", "enrolled")


def enrolled_q(prefix: str = "") -> Q:
    """A child who counts as enrolled: in school, or taught at home (送教上门).

    Every "child of compulsory-school age out of school" test (EX-001, the MN rules, the
    elimination blockers) excludes this, so 送教上门 is treated alike everywhere.
    """
    return student_q(prefix) | Q(**{f"{prefix}out_of_school_reason__in": enrolled_reason_codes()})


def label(list_name: str, code) -> str:
    return codes.label(list_name, code)


# ------------------------------------------------------------------ expressions


def ymd(field_name: str):
    """A date column as the integer YYYYMMDD, so full years between two dates = diff // 10000."""
    return (
        ExtractYear(field_name) * Value(10000)
        + ExtractMonth(field_name) * Value(100)
        + ExtractDay(field_name)
    )


def month_index(field_name: str):
    return ExtractYear(field_name) * Value(12) + ExtractMonth(field_name)


def digits(field_name: str, start: int, length: int):
    """Characters [start, start+length) (1-based) of a text column read as an integer."""
    return Cast(Substr(field_name, start, length), IntegerField())


def head_subquery(column: str):
    from django.db.models import Subquery

    heads = Member.objects.filter(
        household=OuterRef("household"), relation=HEAD_RELATION, status=ACTIVE_STATUS
    ).order_by("pk")
    return Subquery(heads.values(column)[:1])


def has_member(q: Q, ref: str = "pk") -> Exists:
    """An active member of the household (OuterRef `ref`) matching `q`."""
    return Exists(Member.objects.filter(q, household=OuterRef(ref), status=ACTIVE_STATUS))


def has_measure(q: Q, ref: str = "pk") -> Exists:
    return Exists(AssistanceMeasure.objects.filter(q, household=OuterRef(ref)))


def household_hits(ctx: Context, queryset: QuerySet, message=None, severity: str | None = None):
    from .registry import Hit

    for pk in queryset.values_list("pk", flat=True):
        yield Hit(pk, None, str(message or ctx.title), severity)


def member_hits(ctx: Context, queryset: QuerySet, message=None, severity: str | None = None):
    """One hit per member row, the message prefixed with the member's name."""
    from .registry import Hit

    for pk, household_id, name in queryset.values_list("pk", "household_id", "name"):
        yield Hit(household_id, pk, f"{name}：{message or ctx.title}", severity)


def active_count(q: Q | None = None):
    """Count of the household's active members matching `q` (for Household annotations)."""
    from django.db.models import Count

    return Count("members", filter=Q(members__status=ACTIVE_STATUS) & (q or Q()))


__all__ = [
    "F",
    "Household",
    "Context",
    "active_count",
    "digits",
    "has_measure",
    "has_member",
    "head_subquery",
    "household_hits",
    "member_hits",
    "month_index",
    "ymd",
]
