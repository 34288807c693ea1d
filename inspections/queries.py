"""Reads of inspections, scoped to what a user may see (the one place that decides it)."""

from django.db.models import Count, Q, QuerySet, Sum

from povertycase.accounts.models import Role, role_of

from .models import EXITED_CODES, Finding, Inspection, MissedHousehold, Sample, SampledHousehold
from .rates import Rate
from .rules import can_record


def findings_visible_to(user) -> QuerySet[Finding]:
    """Recorders see all; a township, village or department sees the findings naming it."""
    qs = Finding.objects.select_related(
        "inspection", "township", "village__township", "department", "household", "item"
    )
    if not user.is_authenticated:
        return qs.none()
    if can_record(user):
        return qs
    role, profile = role_of(user), getattr(user, "profile", None)
    if role == Role.TOWNSHIP:
        return qs.filter(township_id=profile.township_id)
    if role == Role.VILLAGE:
        return qs.filter(village_id=profile.village_id)
    if role == Role.DEPARTMENT:
        return qs.filter(department_id=profile.department_id)
    return qs.none()


def inspections_visible_to(user) -> QuerySet[Inspection]:
    """Recorders see every inspection; others only those with a finding naming them."""
    qs = Inspection.objects.select_related("team")
    if can_record(user):
        return qs
    return qs.filter(pk__in=findings_visible_to(user).values("inspection_id"))


def samples_visible_to(user) -> QuerySet[Sample]:
    qs = Sample.objects.select_related("inspection", "created_by")
    return qs if can_record(user) else qs.none()


def sample_entries(sample: Sample) -> QuerySet[SampledHousehold]:
    return sample.entries.select_related("household__village__township", "result").order_by("position")


def _result_counts():
    exited = Q(household__exit_status__in=EXITED_CODES)
    done = Q(result__isnull=False)
    return {
        "drawn": Count("pk"),
        "surveyed": Count("pk", filter=done),
        "satisfied": Count("pk", filter=done & Q(result__satisfied=True)),
        "knowing": Count("pk", filter=done & Q(result__knows_policies=True)),
        "exited_persons": Sum("household__member_count", filter=done & exited, default=0),
        "wrong_persons": Sum(
            "household__member_count", filter=done & exited & Q(result__exit_accurate=False), default=0
        ),
    }


def sample_rates_by_township(sample: Sample) -> list[dict]:
    """Per township of the sample: counts and the rates that its own results can give."""
    missed = dict(
        MissedHousehold.objects.filter(sample=sample)
        .values("village__township_id")
        .annotate(persons=Sum("persons"))
        .values_list("village__township_id", "persons")
    )
    rows = (
        sample.entries.order_by("township__code")
        .values("township_id", "township__name")
        .annotate(**_result_counts())
    )
    return [
        {
            "township": row["township__name"],
            "drawn": row["drawn"],
            "surveyed": row["surveyed"],
            "missed_persons": missed.get(row["township_id"], 0),
            "rates": [
                Rate("wrong_exit", row["wrong_persons"], row["exited_persons"]),
                Rate("recognition", row["satisfied"], row["surveyed"]),
                Rate("awareness", row["knowing"], row["surveyed"]),
            ],
        }
        for row in rows
    ]


def sample_rates(sample: Sample) -> list[Rate]:
    """The four rates of a sample from its recorded results, in two queries."""
    counts = sample.entries.aggregate(**_result_counts())
    missed = MissedHousehold.objects.filter(sample=sample).aggregate(persons=Sum("persons", default=0))
    return [
        Rate("wrong_exit", counts["wrong_persons"], counts["exited_persons"]),
        Rate("missed", missed["persons"], sample.non_registered_persons_surveyed),
        Rate("recognition", counts["satisfied"], counts["surveyed"]),
        Rate("awareness", counts["knowing"], counts["surveyed"]),
    ]
