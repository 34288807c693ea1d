"""防返贫监测: a monitoring case per household and its dated, immutable transitions (DOMAIN.md §5).

State machine (§5.4):
clue → verifying → in_notice → township_reviewed → county decision → rejected | no_risk | risk_open
risk_open → elimination_notice → risk_eliminated;  risk_open → eliminated_natural;
risk_eliminated → risk_open (new risk found). Every transition is a `MonitoringStep` row.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .regions import Department
from .register import Household, split_codes


class CaseState(models.TextChoices):
    CLUE = "clue", _("clue registered")
    VERIFYING = "verifying", _("village verification")
    IN_NOTICE = "in_notice", _("village notice")
    TOWNSHIP_REVIEWED = "township_reviewed", _("township reviewed")
    REJECTED = "rejected", _("not identified")
    NO_RISK = "no_risk", _("no risk found")
    RISK_OPEN = "risk_open", _("risk not eliminated")
    ELIMINATION_NOTICE = "elimination_notice", _("elimination notice")
    RISK_ELIMINATED = "risk_eliminated", _("risk eliminated")
    ELIMINATED_NATURAL = "eliminated_natural", _("eliminated naturally")


# States in which a case is still being worked on; a household has at most one such case.
OPEN_STATES = (
    CaseState.CLUE,
    CaseState.VERIFYING,
    CaseState.IN_NOTICE,
    CaseState.TOWNSHIP_REVIEWED,
    CaseState.RISK_OPEN,
    CaseState.ELIMINATION_NOTICE,
)
# Identified (monitored) households: the county decided there is a risk.
MONITORED_STATES = (CaseState.RISK_OPEN, CaseState.ELIMINATION_NOTICE)
CLOSED_STATES = (
    CaseState.REJECTED,
    CaseState.NO_RISK,
    CaseState.RISK_ELIMINATED,
    CaseState.ELIMINATED_NATURAL,
)


class MonitoringCase(models.Model):
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="monitoring_cases", verbose_name=_("household")
    )
    state = models.CharField(_("state"), max_length=20, choices=CaseState.choices, default=CaseState.CLUE)
    channel = models.CharField(_("discovery channel"), max_length=2)  # monitor_channel
    clue_date = models.DateField(_("clue date"))
    reporter = models.CharField(_("reported by"), max_length=50, blank=True)
    clue_text = models.TextField(_("clue"))
    category = models.CharField(_("monitored category"), max_length=2, blank=True)  # monitor_category
    risks = models.CharField(_("risks"), max_length=40, blank=True)  # monitor_risk, join_codes
    risk_note = models.CharField(_("note on the risk"), max_length=200, blank=True)
    out_of_pocket_expense = models.DecimalField(
        _("compliant out-of-pocket expenses (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    notice_start = models.DateField(_("village notice from"), null=True, blank=True)
    notice_end = models.DateField(_("village notice until"), null=True, blank=True)
    identified_on = models.DateField(_("identification date (county decision)"), null=True, blank=True)
    responsible_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="monitoring_cases",
        verbose_name=_("lead unit"),
    )
    responsible_person = models.CharField(_("responsible person"), max_length=50, blank=True)
    help_given = models.TextField(_("help given"), blank=True)
    elimination_method = models.CharField(
        _("elimination method"), max_length=2, blank=True
    )  # elimination_method
    eliminated_on = models.DateField(_("elimination date"), null=True, blank=True)
    post_income_per_capita = models.DecimalField(
        _("per-capita income after elimination"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    post_guarantees_secure = models.BooleanField(
        _("三保障 and water secure after elimination"), null=True, blank=True
    )
    contact_name = models.CharField(_("monitoring contact"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    created_by = models.ForeignKey(  # empty: imported from the command line
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("monitoring case")
        verbose_name_plural = _("monitoring cases")
        ordering = ["-clue_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(state__in=[s.value for s in OPEN_STATES]),
                name="monitoring_one_open_case",
            ),
        ]
        indexes = [models.Index(fields=["state", "category"]), models.Index(fields=["clue_date"])]

    def __str__(self):
        return f"{self.household.number} {self.get_state_display()}"

    def get_absolute_url(self):
        return reverse("households:monitoring_detail", args=[self.pk])

    @property
    def risk_codes(self) -> list[str]:
        return split_codes(self.risks)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class MonitoringStep(models.Model):
    """One transition of a case: who moved it, when, why, with optional evidence. Never edited."""

    case = models.ForeignKey(
        MonitoringCase, on_delete=models.CASCADE, related_name="steps", verbose_name=_("monitoring case")
    )
    from_state = models.CharField(_("from"), max_length=20, choices=CaseState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=CaseState.choices)
    date = models.DateField(_("date"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    note = models.TextField(_("note"), blank=True)
    attachment = models.FileField(_("evidence"), upload_to="monitoring/%Y/%m/", blank=True, max_length=200)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("monitoring step")
        verbose_name_plural = _("monitoring steps")
        ordering = ["case", "date", "pk"]

    def __str__(self):
        return f"{self.case_id} {self.from_state}→{self.to_state} {self.date}"
