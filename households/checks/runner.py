"""Run the enabled rules and keep the Violation table in step with what they find.

A violation is one (rule, household, member) key. A key found again keeps its first_seen;
a key no longer found is resolved; a resolved key found again is reopened. Writes are bulk.
"""

import datetime
import time
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from households.models import Household, Violation
from households.models.register import split_codes

from .base import Context
from .registry import Hit, Rule, all_rules
from .settings import effective_settings

CHUNK = 5000


@dataclass
class ScanResult:
    hits: dict = field(default_factory=dict)  # (rule_id, household_id, member_id) -> (Hit, severity)
    created: int = 0
    reopened: int = 0
    resolved: int = 0
    seconds: float = 0.0
    rule_seconds: dict = field(default_factory=dict)
    as_of: datetime.date | None = None  # the date ages and deadlines were reckoned at

    @property
    def count(self) -> int:
        return len(self.hits)


def _scope(households) -> QuerySet:
    if households is None:
        return Household.objects.all()
    if isinstance(households, QuerySet):
        return Household.objects.filter(pk__in=households.order_by().values("pk"))
    ids = [h.pk if isinstance(h, Household) else h for h in households]
    return Household.objects.filter(pk__in=ids)


def enabled_rules() -> tuple[list[Rule], dict]:
    rules = all_rules()
    settings = effective_settings(rules)
    return [r for r in rules if settings[r.id].enabled], settings


def find_hits(*, households=None, today: datetime.date | None = None, rule_ids=None) -> ScanResult:
    """Run the enabled rules (or only `rule_ids`) without storing anything."""
    started = time.monotonic()
    scope = _scope(households)
    today = today or timezone.localdate()
    rules, settings = enabled_rules()
    result = ScanResult(as_of=today)
    unrecorded = _unrecorded(scope)
    for item in rules:
        if rule_ids is not None and item.id not in rule_ids:
            continue
        began = time.monotonic()
        ctx = Context(households=scope, today=today, params=settings[item.id].params, title=str(item.title))
        inputs = set(item.fields)
        for hit in item.func(ctx):
            if inputs & unrecorded.get(hit.household_id, set()):
                continue  # an input the household's layout never carried: not a finding
            key = (item.id, hit.household_id, hit.member_id)
            result.hits.setdefault(key, (hit, hit.severity or item.severity))
        result.rule_seconds[item.id] = time.monotonic() - began
    result.seconds = time.monotonic() - started
    return result


def _unrecorded(scope: QuerySet) -> dict[int, set[str]]:
    """{household id: fields its imported layout did not carry}, for households that lack some."""
    rows = scope.exclude(unrecorded="").values_list("pk", "unrecorded")
    return {pk: set(split_codes(value)) for pk, value in rows.iterator(chunk_size=CHUNK)}


def run_all_checks(*, households=None, today: datetime.date | None = None) -> ScanResult:
    """Run every enabled rule over `households` (all when None) and store the violations."""
    today = today or timezone.localdate()
    result = find_hits(households=households, today=today)
    started = time.monotonic()
    with transaction.atomic():
        _store(result, _scope(households) if households is not None else None, today)
    result.seconds += time.monotonic() - started
    return result


def checks_for_household(household: Household) -> list[Violation]:
    """Check one household now (after it was saved) and return its open violations."""
    run_all_checks(households=[household])
    return list(open_violations(household))


def open_violations(household: Household) -> QuerySet:
    return Violation.objects.filter(household=household, resolved_at__isnull=True).select_related("member")


def _store(result: ScanResult, scope: QuerySet | None, as_of: datetime.date) -> None:
    now = timezone.now()
    existing = (
        Violation.objects.all()
        if scope is None
        else Violation.objects.filter(household__in=scope.values("pk"))
    )
    rows = existing.values_list(
        "pk", "rule_id", "household_id", "member_id", "resolved_at", "severity", "message", "as_of"
    )
    seen, changed, to_resolve = [], [], []
    known = set()
    for pk, rule_id, household_id, member_id, resolved_at, severity, message, seen_as_of in rows.iterator(
        chunk_size=CHUNK
    ):
        key = (rule_id, household_id, member_id)
        found = result.hits.get(key)
        if found is None:
            if resolved_at is None:
                to_resolve.append(pk)
            continue
        known.add(key)
        hit, new_severity = found
        if (
            resolved_at is not None
            or severity != new_severity
            or message != hit.message[:300]
            or seen_as_of != as_of
        ):
            result.reopened += resolved_at is not None
            changed.append(
                Violation(
                    pk=pk,
                    resolved_at=None,
                    last_seen=now,
                    severity=new_severity,
                    message=hit.message[:300],
                    as_of=as_of,
                )
            )
        else:
            seen.append(pk)
    _update_in_chunks(seen, last_seen=now)
    _update_in_chunks(to_resolve, resolved_at=now)
    result.resolved = len(to_resolve)
    Violation.objects.bulk_update(
        changed, ["resolved_at", "last_seen", "severity", "message", "as_of"], batch_size=1000
    )
    new = [_new_violation(key, found, now) for key, found in result.hits.items() if key not in known]
    for violation in new:
        violation.as_of = as_of
    # A concurrent scan (a save during the nightly job) may have inserted the same key first.
    Violation.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    result.created = len(new)


def _new_violation(key, found: tuple[Hit, str], now) -> Violation:
    rule_id, household_id, member_id = key
    hit, severity = found
    return Violation(
        rule_id=rule_id,
        household_id=household_id,
        member_id=member_id,
        severity=severity,
        message=hit.message[:300],
        first_seen=now,
        last_seen=now,
    )


def _update_in_chunks(pks: list[int], **values) -> None:
    for start in range(0, len(pks), CHUNK):
        Violation.objects.filter(pk__in=pks[start : start + CHUNK]).update(**values)
