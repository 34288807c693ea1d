"""Logic checks (逻辑校验): the county's switches for each rule and the violations found."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .register import Household, Member


class Severity(models.TextChoices):
    ERROR = "E", _("error")
    WARNING = "W", _("warning")


class RuleSetting(models.Model):
    """The command office's switch and parameter overrides for one rule of the catalogue."""

    rule_id = models.CharField(_("rule"), max_length=10, unique=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("rule setting")
        verbose_name_plural = _("rule settings")
        ordering = ["rule_id"]

    def __str__(self):
        return self.rule_id


class Violation(models.Model):
    """One rule tripped by one household (or one of its members), kept across scans.

    The scan updates these rows in bulk (no history rows); the acknowledgement is saved
    one at a time, so its trail (who, when, why) is in the history.
    """

    rule_id = models.CharField(_("rule"), max_length=10)
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="violations", verbose_name=_("household")
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="violations",
        verbose_name=_("member"),
    )
    severity = models.CharField(_("severity"), max_length=1, choices=Severity.choices)
    message = models.CharField(_("message"), max_length=300)
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"))
    # The date the scan that last found it reckoned ages and deadlines at (run_checks --as-of).
    as_of = models.DateField(_("as of"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledge_reason = models.TextField(_("reason"), blank=True)
    history = HistoricalRecords(excluded_fields=["last_seen", "as_of"])

    class Meta:
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        ordering = ["household_id", "rule_id", "member_id"]
        # One row per (rule, household, member), so a save and the nightly scan can't both insert.
        constraints = [
            models.UniqueConstraint(
                fields=["rule_id", "household"],
                condition=models.Q(member__isnull=True),
                name="violation_once_per_household",
            ),
            models.UniqueConstraint(
                fields=["rule_id", "household", "member"],
                condition=models.Q(member__isnull=False),
                name="violation_once_per_member",
            ),
        ]
        indexes = [
            models.Index(fields=["rule_id", "resolved_at"]),
            models.Index(fields=["resolved_at", "severity"]),
            models.Index(fields=["household", "resolved_at"]),
        ]

    def __str__(self):
        return f"{self.rule_id} {self.household_id}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
