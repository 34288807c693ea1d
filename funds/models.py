"""The project-fund ledger (扶贫项目资金台账, DOMAIN.md §10.1).

Money flows allocation -> budget line (one project's share of one allocation) -> payments.
Progress is never stored: paid ÷ allocated is summed from payments (see progress.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from households.models import Department, Household, Township, Village

MONEY = {"max_digits": 14, "decimal_places": 2}


def _one_unit(prefix: str, name: str):
    return models.CheckConstraint(
        condition=Q(**{f"{prefix}_township__isnull": True, f"{prefix}_department__isnull": False})
        | Q(**{f"{prefix}_township__isnull": False, f"{prefix}_department__isnull": True}),
        name=name,
    )


class UnitMixin:
    """A township or a department owns the row; `unit` is whichever is set."""

    unit_prefix = ""

    @property
    def unit(self):
        return getattr(self, f"{self.unit_prefix}_township") or getattr(
            self, f"{self.unit_prefix}_department"
        )


class Allocation(UnitMixin, models.Model):
    """资金下达: a document that gives a unit an amount from one source for one year."""

    unit_prefix = "receiving"
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    source = models.CharField(_("fund source"), max_length=4)  # code list fund_source
    document_number = models.CharField(_("document number"), max_length=80)
    document_date = models.DateField(_("document date"))
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    receiving_township = models.ForeignKey(
        Township,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("township"),
    )
    receiving_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fund allocation")
        verbose_name_plural = _("fund allocations")
        ordering = ["-year", "document_date", "pk"]
        constraints = [
            _one_unit("receiving", "fund_allocation_one_unit"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="fund_allocation_amount_positive"),
        ]

    def __str__(self):
        return f"{self.document_number} {self.amount}"


class Status(models.TextChoices):
    RESERVE = "reserve", pgettext_lazy("project status", "Reserve")
    APPROVED = "approved", pgettext_lazy("project status", "Approved")
    IN_PROGRESS = "in_progress", pgettext_lazy("project status", "In progress")
    COMPLETED = "completed", pgettext_lazy("project status", "Completed")
    ACCEPTED = "accepted", pgettext_lazy("project status", "Accepted")
    REIMBURSED = "reimbursed", pgettext_lazy("project status", "Reimbursed")
    SUSPENDED = "suspended", pgettext_lazy("project status", "Suspended")
    WITHDRAWN = "withdrawn", pgettext_lazy("project status", "Withdrawn")


# Payments are allowed from approval on; a suspended project keeps its payments but takes none.
PAYABLE = (Status.APPROVED, Status.IN_PROGRESS, Status.COMPLETED, Status.ACCEPTED)
# Still owes work: these can fall behind their planned completion.
UNFINISHED = (Status.APPROVED, Status.IN_PROGRESS, Status.SUSPENDED)


class Project(UnitMixin, models.Model):
    unit_prefix = "implementing"
    number = models.CharField(_("project number"), max_length=40, unique=True)
    name = models.CharField(_("project name"), max_length=120)
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    project_type = models.CharField(_("project type"), max_length=4)  # code list fund_project_type
    implementing_township = models.ForeignKey(
        Township,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fund_projects",
        verbose_name=_("implementing township"),
    )
    implementing_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fund_projects",
        verbose_name=_("implementing department"),
    )
    villages = models.ManyToManyField(
        Village, blank=True, related_name="fund_projects", verbose_name=_("villages")
    )
    # Where the project lies, for the township figures: the implementing township, else the
    # township of its first village (set by the service; never typed).
    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    place = models.CharField(_("place"), max_length=120, blank=True)
    content = models.TextField(_("construction content"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RESERVE)
    status_reason = models.CharField(_("reason"), max_length=200, blank=True)
    # The status to return to when a suspension ends.
    resume_status = models.CharField(max_length=12, blank=True, editable=False)
    approved_on = models.DateField(_("approval date"), null=True, blank=True)
    approval_document = models.CharField(_("approval document"), max_length=80, blank=True)
    started_on = models.DateField(_("start date"), null=True, blank=True)
    planned_completion = models.DateField(_("planned completion"), null=True, blank=True)
    completed_on = models.DateField(_("completion date"), null=True, blank=True)
    accepted_on = models.DateField(_("acceptance date"), null=True, blank=True)
    reimbursed_on = models.DateField(_("reimbursement date"), null=True, blank=True)
    completion_percent = models.PositiveSmallIntegerField(_("completion %"), default=0)
    delay_reason = models.CharField(_("reason for delay"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-year", "number"]
        indexes = [models.Index(fields=["year", "status"])]
        constraints = [
            _one_unit("implementing", "fund_project_one_unit"),
            models.CheckConstraint(
                condition=Q(completion_percent__lte=100), name="fund_project_percent_max_100"
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.name}"

    def get_absolute_url(self):
        return reverse("funds:project_detail", args=[self.pk])

    def is_behind_on(self, today) -> bool:
        return bool(self.status in UNFINISHED and self.planned_completion and self.planned_completion < today)


class BudgetLine(models.Model):
    """A project's share of one allocation; the lines of an allocation never exceed its amount."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_lines")
    allocation = models.ForeignKey(
        Allocation, on_delete=models.PROTECT, related_name="budget_lines", verbose_name=_("allocation")
    )
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "allocation"], name="fund_budget_line_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="fund_budget_line_amount_positive"),
        ]

    def __str__(self):
        return f"{self.project.number} ← {self.allocation.document_number}: {self.amount}"


class CompletionReport(models.Model):
    """A reported completion share with its evidence (photos, acceptance sheet)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="completion_reports")
    percent = models.PositiveSmallIntegerField(_("completion %"))
    reported_on = models.DateField(_("date"))
    evidence = models.FileField(_("evidence file"), upload_to="funds/evidence/%Y/%m/")
    note = models.CharField(_("note"), max_length=200, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("completion report")
        verbose_name_plural = _("completion reports")
        ordering = ["-reported_on", "-pk"]

    def __str__(self):
        return f"{self.project.number} {self.percent}%"


class Payment(models.Model):
    """拨付/支付 drawn on one budget line, so the source and the allocation are known."""

    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="payments", verbose_name=_("budget line")
    )
    # Denormalised from the budget line so progress sums by source/unit read one table.
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="payments", editable=False)
    allocation = models.ForeignKey(
        Allocation, on_delete=models.PROTECT, related_name="payments", editable=False
    )
    paid_on = models.DateField(_("payment date"))
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    payee = models.CharField(_("payee"), max_length=100)
    voucher = models.FileField(_("voucher"), upload_to="funds/vouchers/%Y/%m/", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["paid_on", "pk"]
        indexes = [models.Index(fields=["paid_on"])]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="fund_payment_amount_positive")]

    def __str__(self):
        return f"{self.project.number} {self.paid_on} {self.amount}"


class Beneficiary(models.Model):
    """A register household's subsidy from a household-type project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="beneficiaries")
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="fund_subsidies", verbose_name=_("household")
    )
    # Copied from the project so "one household once per subsidy per year" is a unique constraint.
    year = models.PositiveSmallIntegerField(editable=False)
    project_type = models.CharField(max_length=4, editable=False)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("beneficiary household")
        verbose_name_plural = _("beneficiary households")
        ordering = ["project", "household__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "year", "project_type"], name="fund_beneficiary_once_a_year"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="fund_beneficiary_amount_positive"),
        ]

    def __str__(self):
        return f"{self.project_id} {self.household_id} {self.amount}"


class AssetKind(models.TextChoices):
    OPERATING = "operating", _("Operating")
    PUBLIC = "public", _("Public welfare")
    HOUSEHOLD = "household", _("Household")


class Asset(models.Model):
    """扶贫资产 formed by an accepted project."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="assets")
    name = models.CharField(_("asset name"), max_length=120)
    kind = models.CharField(_("asset kind"), max_length=12, choices=AssetKind.choices)
    owner = models.CharField(_("owner"), max_length=100)
    manager = models.CharField(_("manager"), max_length=100)
    value = models.DecimalField(_("value (yuan)"), **MONEY)
    formed_on = models.DateField(_("date formed"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("poverty-alleviation asset")
        verbose_name_plural = _("poverty-alleviation assets")
        ordering = ["project", "pk"]

    def __str__(self):
        return self.name


class IncomeDistribution(models.Model):
    """收益分配: one year's income of an asset paid to one household."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="distributions")
    year = models.PositiveSmallIntegerField(_("year"))
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="+", verbose_name=_("household")
    )
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("income distribution")
        verbose_name_plural = _("income distributions")
        ordering = ["-year", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["asset", "year", "household"], name="fund_distribution_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="fund_distribution_amount_positive"),
        ]

    def __str__(self):
        return f"{self.asset} {self.year} {self.household_id} {self.amount}"
