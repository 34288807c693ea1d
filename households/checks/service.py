"""Entry points shared by the nightly task, the command and the pages."""

import logging

from django.db.models import QuerySet
from django.utils import timezone

from households.models import Violation

from .runner import ScanResult, run_all_checks

logger = logging.getLogger(__name__)


def scan_all(*, today=None) -> ScanResult:
    """The full scan: every enabled rule over every household, violations stored.

    `today`: the date the scan reckons ages and deadlines at (default: today).
    """
    result = run_all_checks(today=today)
    logger.info(
        "logic checks: %d open, %d new, %d reopened, %d resolved in %.1f s",
        result.count,
        result.created,
        result.reopened,
        result.resolved,
        result.seconds,
    )
    return result


def scan_preview(*, households=None, today=None) -> dict:
    """What a scan as of `today` would find, stored nowhere: for the import dry run, which passes
    the workbook's data date (数据日期 / 导出时间) so ages are reckoned when the data was true."""
    from .runner import find_hits

    result = find_hits(households=households, today=today)
    by_rule = {}
    for (rule_id, _household, _member), (_hit, severity) in result.hits.items():
        by_rule.setdefault(rule_id, {"severity": severity, "count": 0})["count"] += 1
    severities = [severity for _hit, severity in result.hits.values()]
    return {
        "as_of": result.as_of.isoformat(),
        "errors": severities.count("E"),
        "warnings": severities.count("W"),
        "rules": dict(sorted(by_rule.items())),
    }


def open_violation_rows(violations: QuerySet | None = None):
    """(household number, member ID number or None, rule, severity, message) of open violations."""
    qs = Violation.objects.all() if violations is None else violations
    qs = qs.filter(resolved_at__isnull=True).order_by("household__number", "rule_id", "member_id")
    return qs.values_list(
        "household__number", "member__id_number", "rule_id", "severity", "message"
    ).iterator(chunk_size=5000)


def violation_acknowledge(*, violation: Violation, user, reason: str) -> Violation:
    """Record who accepted the violation and why; the history keeps the trail."""
    from django.utils.translation import gettext as _

    from povertycase.errors import DomainError

    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Please write the reason for acknowledging this violation."))
    violation.acknowledged_at = timezone.now()
    violation.acknowledged_by = user
    violation.acknowledge_reason = reason
    violation._history_user = user
    violation._change_reason = reason[:100]
    violation.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledge_reason"])
    return violation


# Rules whose inputs the household form does not edit never refuse a save; nor do rules about
# missing data (blank policy "error"): the form lets a cadre save what is known so far.
NOT_ON_THE_FORM = {"measures", "income", "wage_income", "business_income", "transfer_income"}
# A village's indicators (VL) and a township's leaders (VS-005) are judged on their own pages, never
# by refusing a household's save; entries are rule groups or single rule ids.
NOT_HOUSEHOLD_RULES = {"VL", "VS-005", "FD"}


class ChecksRefused(Exception):
    """Raised inside the save's transaction so the save rolls back; carries the messages."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


def error_keys(household, *, every_rule: bool = False) -> dict:
    """{(rule, member): message} of the errors the household form can cause, for one household.

    `every_rule`: for pages that edit what the form does not (measures, income), every error
    rule counts, missing-data rules too (deleting the last measure is HH-013's error).
    """
    from .registry import BLANK_IS_ERROR, get_rule
    from .runner import find_hits

    if household is None or household.pk is None:
        return {}
    found = find_hits(households=[household])
    keys = {}
    for (rule_id, _household_id, member_id), (hit, severity) in found.hits.items():
        rule = get_rule(rule_id)
        on_form = every_rule or (not (set(rule.fields) & NOT_ON_THE_FORM) and rule.blank != BLANK_IS_ERROR)
        if severity == "E" and on_form and not {rule.group, rule.id} & NOT_HOUSEHOLD_RULES:
            keys[(rule_id, member_id)] = f"{rule_id} {hit.message}"
    return keys


def refuse_new_errors(household, before: dict, *, every_rule: bool = False) -> None:
    """Errors this save introduced (not there before it) refuse the save."""
    after = error_keys(household, every_rule=every_rule)
    ordered = sorted(after.items(), key=lambda item: item[0][0])
    new = [message for key, message in ordered if key not in before]
    if new:
        raise ChecksRefused(new)
