"""Writes of inspections: keyword-only, atomic, refusing with DomainError in Chinese.

Findings must name their target (DOMAIN.md §7.2); a finding becomes a ledger item only
through rectification's own `item_create`. A sample's household list is drawn once from a
stored seed and never edited.
"""

import datetime
import math
import random
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from households.models import Household
from households.queries import households_visible_to
from povertycase.errors import DomainError
from rectification import services as ledger
from rectification.models import Kind as ItemKind
from rectification.models import Level as ItemLevel

from .models import (
    REMOVED_CODES,
    SOURCE_OF_KIND,
    Finding,
    Inspection,
    InspectionTeam,
    MissedHousehold,
    Sample,
    SampledHousehold,
    SampleResult,
    TargetLevel,
)
from .rules import can_record

# Words that say "somebody somewhere" instead of naming them (seed 000 forbids them).
VAGUE_WORDS = ("个别", "有的", "有些", "部分", "一些", "少数", "某些", "极个别")
DEFAULT_RATE = Decimal("0.10")


def _refuse(message: str, field: str | None = None):
    raise DomainError(message, field=field)


def _ensure_recorder(user) -> None:
    if not can_record(user):
        _refuse(_("Only inspectors and the county command office may do this."))


def vague_words_in(text: str) -> list[str]:
    return [word for word in VAGUE_WORDS if word in text]


@transaction.atomic
def team_create(*, user, name: str, leader=None, members=()) -> InspectionTeam:
    """An inspection team (督查组) with its leader and members; the leader is also a member."""
    _ensure_recorder(user)
    if not (name or "").strip():
        _refuse(_("Give the team a name."), "name")
    team = InspectionTeam.objects.create(name=name.strip(), leader=leader)
    team.members.set({*members, *([leader] if leader else [])})
    return team


@transaction.atomic
def inspection_create(
    *,
    user,
    title: str,
    kind: str,
    start_date: datetime.date,
    end_date: datetime.date,
    team=None,
    townships=(),
    villages=(),
) -> Inspection:
    _ensure_recorder(user)
    if not (title or "").strip():
        _refuse(_("Give the inspection a title."), "title")
    if end_date < start_date:
        _refuse(_("The end date cannot be before the start date."), "end_date")
    inspection = Inspection(
        title=title.strip(), kind=kind, team=team, start_date=start_date, end_date=end_date, created_by=user
    )
    inspection.full_clean(exclude=["created_at"])
    inspection.save()
    inspection.townships.set(townships)
    inspection.villages.set(villages)
    return inspection


TARGET_FIELD = {
    TargetLevel.TOWNSHIP: "township",
    TargetLevel.VILLAGE: "village",
    TargetLevel.DEPARTMENT: "department",
    TargetLevel.HOUSEHOLD: "household",
}


@transaction.atomic
def finding_record(
    *,
    user,
    inspection: Inspection,
    level: str,
    text: str,
    township=None,
    village=None,
    department=None,
    household=None,
    responsible_person: str = "",
) -> Finding:
    _ensure_recorder(user)
    text = (text or "").strip()
    if not text:
        _refuse(_("Describe what was found."), "text")
    if level not in TARGET_FIELD:
        _refuse(
            _("Choose whether the finding concerns a township, village, department or household."), "level"
        )
    given = {"township": township, "village": village, "department": department, "household": household}
    field = TARGET_FIELD[level]
    target = given[field]
    if target is None:
        label = TargetLevel(level).label
        vague = vague_words_in(text)
        if vague:
            _refuse(
                _(
                    "The finding says “%(words)s” but names no one: name the %(level)s concerned "
                    "(and the responsible person where known) instead of vague wording."
                )
                % {"words": "、".join(vague), "level": label},
                field,
            )
        _refuse(_("Name the %(level)s the finding concerns.") % {"level": label}, field)
    finding = Finding(
        inspection=inspection,
        level=level,
        text=text,
        responsible_person=(responsible_person or "").strip(),
        recorded_by=user,
    )
    setattr(finding, field, target)
    if level == TargetLevel.HOUSEHOLD:
        finding.village = household.village
    if level in (TargetLevel.HOUSEHOLD, TargetLevel.VILLAGE):
        finding.township = finding.village.township
    finding.full_clean(exclude=["recorded_at", "item"])
    finding.save()
    return finding


LEVEL_TO_ITEM = {
    TargetLevel.TOWNSHIP: ItemLevel.TOWNSHIP,
    TargetLevel.VILLAGE: ItemLevel.VILLAGE,
    TargetLevel.DEPARTMENT: ItemLevel.DEPARTMENT,
    TargetLevel.HOUSEHOLD: ItemLevel.HOUSEHOLD,
}


@transaction.atomic
def finding_to_item(
    *,
    user,
    finding: Finding,
    category,
    deadline: datetime.date | None,
    responsible_township=None,
    responsible_department=None,
    kind: str = ItemKind.DEADLINE,
    measures: str = "",
):
    """Open the rectification item for a finding, pre-filled from it, through the ledger's service."""
    _ensure_recorder(user)
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.item_id:
        _refuse(_("This finding already has rectification item %s.") % finding.item.number)
    if responsible_township is None and responsible_department is None:
        responsible_township, responsible_department = finding.township, finding.department
    inspection = finding.inspection
    data = {
        "number": f"DC-{inspection.start_date.year}-{finding.pk:05d}",
        "source": SOURCE_OF_KIND.get(inspection.kind, "05"),
        "source_reference": f"{inspection.title}（{inspection.start_date:%Y-%m-%d}）"[:200],
        "category": category,
        "description": finding.text,
        "level": LEVEL_TO_ITEM[finding.level],
        "target_township": finding.township,
        "target_village": finding.village,
        "target_household": finding.household,
        "target_department": finding.department,
        "responsible_township": responsible_township,
        "responsible_department": responsible_department,
        "supervising_leader": "",
        "measures": measures,
        "kind": kind,
        "deadline": deadline,
    }
    item = ledger.item_create(user=user, data=data, from_finding=True)
    finding.item = item
    finding.save(update_fields=["item"])
    return item


def draw(households: list[Household], *, seed: int, rate: Decimal, remote_factor: Decimal) -> list[Household]:
    """Stratified by township, ordered by pk inside each stratum; remote villages over-sampled.

    Each township is split into its remote and other villages' households; each part gives
    ceil(rate × n) households (× remote_factor for the remote part, capped at n).
    """
    rng = random.Random(seed)
    strata: dict[int, tuple[list, list]] = {}
    for household in sorted(households, key=lambda h: h.pk):
        remote, other = strata.setdefault(household.village.township_id, ([], []))
        (remote if household.village.is_remote else other).append(household)
    drawn = []
    for township_id in sorted(strata):
        remote, other = strata[township_id]
        for part, part_rate in ((other, rate), (remote, rate * remote_factor)):
            if part:
                k = min(len(part), math.ceil(part_rate * len(part)))
                drawn += sorted(rng.sample(part, k), key=lambda h: h.pk)
    return drawn


@transaction.atomic
def sample_draw(
    *,
    user,
    title: str,
    rate: Decimal = DEFAULT_RATE,
    remote_factor: Decimal = Decimal("1"),
    seed: int | None = None,
    inspection: Inspection | None = None,
    townships=(),
) -> Sample:
    _ensure_recorder(user)
    rate, remote_factor = Decimal(str(rate)), Decimal(str(remote_factor))
    if not Decimal("0") < rate <= Decimal("1"):
        _refuse(_("The sampling rate must be above 0% and at most 100%."), "rate")
    if not Decimal("1") <= remote_factor <= Decimal("10"):
        _refuse(_("The over-sampling factor must be between 1 and 10."), "remote_factor")
    if seed is None:
        seed = random.SystemRandom().randrange(1, 2**31)
    frame = households_visible_to(user).exclude(exit_status__in=REMOVED_CODES)
    if townships:
        frame = frame.filter(village__township__in=townships)
    households = list(frame.only("pk", "village__township_id", "village__is_remote"))
    if not households:
        _refuse(_("There are no households to draw from."))
    sample = Sample.objects.create(
        title=(title or "").strip() or _("Spot check"),
        inspection=inspection,
        seed=seed,
        rate=rate,
        remote_factor=remote_factor,
        population=len(households),
        created_by=user,
    )
    chosen = draw(households, seed=seed, rate=rate, remote_factor=remote_factor)
    SampledHousehold.objects.bulk_create(
        SampledHousehold(sample=sample, household=h, township_id=h.village.township_id, position=n)
        for n, h in enumerate(chosen, start=1)
    )
    return sample


@transaction.atomic
def sample_result_record(
    *,
    user,
    entry: SampledHousehold,
    identification_accurate: bool,
    satisfied: bool,
    knows_policies: bool,
    exit_accurate: bool | None = None,
    problems: str = "",
) -> SampleResult:
    _ensure_recorder(user)
    exited = entry.exited
    if exited and exit_accurate is None:
        _refuse(_("The household has exited: state whether the exit is accurate."), "exit_accurate")
    result, _created = SampleResult.objects.update_or_create(
        entry=entry,
        defaults={
            "identification_accurate": identification_accurate,
            "exit_accurate": exit_accurate if exited else None,
            "satisfied": satisfied,
            "knows_policies": knows_policies,
            "problems": (problems or "").strip(),
            "recorded_by": user,
        },
    )
    return result


@transaction.atomic
def missed_household_record(
    *, user, sample: Sample, village, head_name: str, persons: int, note: str = ""
) -> MissedHousehold:
    _ensure_recorder(user)
    if not (head_name or "").strip():
        _refuse(_("Name the head of the household."), "head_name")
    if not persons or int(persons) < 1:
        _refuse(_("A missed household has at least one person."), "persons")
    return MissedHousehold.objects.create(
        sample=sample,
        village=village,
        head_name=head_name.strip(),
        persons=int(persons),
        note=(note or "").strip(),
        recorded_by=user,
    )


@transaction.atomic
def sample_surveyed_persons_set(*, user, sample: Sample, persons: int) -> Sample:
    """How many persons of non-registered households were surveyed: 漏评率's denominator."""
    _ensure_recorder(user)
    if persons is None or int(persons) < 0:
        _refuse(_("Enter a number of persons, zero or more."), "persons")
    sample.non_registered_persons_surveyed = int(persons)
    sample.save(update_fields=["non_registered_persons_surveyed"])
    return sample
