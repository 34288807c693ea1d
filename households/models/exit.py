"""退出程序: a household's exit procedure, its eight ordered steps and the campaign milestones.

DOMAIN.md §4.2: steps 1–8 in order, none skipped; §4.3: due dates per level (`ExitMilestone`).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .register import Household

STEP_COUNT = 8


class ExitStepNumber(models.IntegerChoices):
    CHECK = 1, _("information check (信息核实)")
    APPRAISAL = 2, _("democratic appraisal (民主评议)")
    CROSS_CHECK = 3, _("cross-check (交叉检查)")
    TOWNSHIP_REVIEW = 4, _("township review (审核审查)")
    NOTICE = 5, _("public notice (公示公告)")
    APPROVAL = 6, _("county approval (核查批准)")
    FILING = 7, _("filing (资料备案)")
    MARKING = 8, _("system marking (系统标注)")


class ExitProcedure(models.Model):
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="exit_procedures", verbose_name=_("household")
    )
    year = models.PositiveSmallIntegerField(_("exit year"))
    household_signed = models.BooleanField(_("household signed its recognition"), null=True, blank=True)
    signature_note = models.CharField(_("signature or refusal note"), max_length=200, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("started by")
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exit procedure")
        verbose_name_plural = _("exit procedures")
        ordering = ["-year", "household"]
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="exit_one_procedure_per_year")
        ]

    def __str__(self):
        return f"{self.household.number} {self.year}"

    def get_absolute_url(self):
        return reverse("households:exit_detail", args=[self.pk])


class ExitStep(models.Model):
    """A completed step: date, user, note, optional attachment and step-specific details."""

    procedure = models.ForeignKey(
        ExitProcedure, on_delete=models.CASCADE, related_name="steps", verbose_name=_("exit procedure")
    )
    number = models.PositiveSmallIntegerField(_("step"), choices=ExitStepNumber.choices)
    date = models.DateField(_("date"))
    end_date = models.DateField(_("until (notice)"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), default=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    note = models.TextField(_("note"), blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    attachment = models.FileField(_("attachment"), upload_to="exit/%Y/%m/", blank=True, max_length=200)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exit step")
        verbose_name_plural = _("exit steps")
        ordering = ["procedure", "number"]
        constraints = [models.UniqueConstraint(fields=["procedure", "number"], name="exit_step_once")]

    def __str__(self):
        return f"{self.procedure_id} #{self.number} {self.date}"


class MilestoneLevel(models.TextChoices):
    VILLAGE = "village", _("village")
    TOWNSHIP = "township", _("township")
    COUNTY = "county", _("county")
    SYSTEM = "system", _("system marking")


class ExitMilestone(models.Model):
    """The campaign's due date for a level: every step up to `last_step` done by `due_date`."""

    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("level"), max_length=10, choices=MilestoneLevel.choices)
    last_step = models.PositiveSmallIntegerField(_("steps up to"), choices=ExitStepNumber.choices)
    due_date = models.DateField(_("due date"))
    last_notified = models.DateField(_("last alert"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("exit milestone")
        verbose_name_plural = _("exit milestones")
        ordering = ["year", "due_date"]
        constraints = [models.UniqueConstraint(fields=["year", "level"], name="exit_milestone_per_level")]

    def __str__(self):
        return f"{self.year} {self.get_level_display()} {self.due_date}"
