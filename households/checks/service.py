"""Entry points shared by the nightly task, the command and the pages."""

import logging

from django.db.models import QuerySet
from django.utils import timezone

from households.models import Violation

from .runner import ScanResult, run_all_checks

logger = logging.getLogger(__name__)


def scan_all() -> ScanResult:
    """The full scan: every enabled rule over every household, violations stored."""
    result = run_all_checks()
    logger.info(
        "logic checks: %d open, %d new, %d reopened, %d resolved in %.1f s",
        result.count,
        result.created,
        result.reopened,
        result.resolved,
        result.seconds,
    )
    return result


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
