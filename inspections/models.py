"""Inspections and findings (督查暗访) and random spot checks (抽查), DOMAIN.md §7.

A finding names its target (township, village, department or household) and opens at most
one rectification item, linked both ways (`Finding.item`, `Item.finding`). A sample stores
its seed, rate and over-sampling factor with the drawn list; the list never changes once
drawn (a new draw is a new sample). Results and suspected missed households are kept beside it.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from households.models import Department, Household, Township, Village
from rectification.models import Item


class InspectionTeam(models.Model):
    name = models.CharField(_("team name"), max_length=60)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team leader"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="inspection_teams", verbose_name=_("team members")
    )

    class Meta:
        verbose_name = _("inspection team")
        verbose_name_plural = _("inspection teams")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Kind(models.TextChoices):
    OPEN = "open", _("Announced inspection")
    UNANNOUNCED = "unannounced", _("Unannounced visit")
    CROSS = "cross", _("Cross check")
    THIRD_PARTY = "third_party", _("Third-party evaluation spot check")


# The ledger's source code (rect_source) for each kind of inspection.
SOURCE_OF_KIND = {Kind.OPEN: "05", Kind.UNANNOUNCED: "05", Kind.CROSS: "03", Kind.THIRD_PARTY: "04"}


class Inspection(models.Model):
    title = models.CharField(_("title"), max_length=100)
    kind = models.CharField(_("inspection kind"), max_length=12, choices=Kind.choices)
    team = models.ForeignKey(
        InspectionTeam,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name=_("team"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    townships = models.ManyToManyField(Township, blank=True, related_name="+", verbose_name=_("townships"))
    villages = models.ManyToManyField(Village, blank=True, related_name="+", verbose_name=_("villages"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="insp_dates_in_order"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("inspections:inspection_detail", args=[self.pk])


class TargetLevel(models.TextChoices):
    TOWNSHIP = "township", _("Township")
    VILLAGE = "village", _("Village")
    DEPARTMENT = "department", _("Department")
    HOUSEHOLD = "household", _("Household")


class Finding(models.Model):
    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="findings", verbose_name=_("inspection")
    )
    level = models.CharField(_("target level"), max_length=12, choices=TargetLevel.choices)
    # A village or household target also fills the regions above it (one column answers
    # "is it in my township").
    township = models.ForeignKey(
        Township,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("township"),
    )
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("village")
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("household"),
    )
    responsible_person = models.CharField(_("responsible person"), max_length=50, blank=True)
    text = models.TextField(_("finding"))
    item = models.OneToOneField(
        Item,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="finding",
        verbose_name=_("rectification item"),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["-recorded_at", "-pk"]

    def __str__(self):
        return self.text[:40]

    def get_absolute_url(self):
        return reverse("inspections:finding_detail", args=[self.pk])

    @property
    def target(self):
        return {
            TargetLevel.TOWNSHIP: self.township,
            TargetLevel.VILLAGE: self.village,
            TargetLevel.DEPARTMENT: self.department,
            TargetLevel.HOUSEHOLD: self.household,
        }.get(self.level)


class Sample(models.Model):
    """One draw: seed, rate and over-sampling factor are stored so the draw can be repeated."""

    title = models.CharField(_("title"), max_length=100)
    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="samples",
        verbose_name=_("inspection"),
    )
    seed = models.BigIntegerField(_("random seed"))
    rate = models.DecimalField(_("sampling rate"), max_digits=5, decimal_places=4)
    remote_factor = models.DecimalField(
        _("over-sampling factor for remote villages"), max_digits=4, decimal_places=2
    )
    population = models.PositiveIntegerField(_("households in the frame"))
    non_registered_persons_surveyed = models.PositiveIntegerField(
        _("persons of non-registered households surveyed"), default=0
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("drawn"), default=timezone.now)

    class Meta:
        verbose_name = _("sample")
        verbose_name_plural = _("samples")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("inspections:sample_detail", args=[self.pk])


# exit_status codes of an exited household (1 享受政策, 2 不享受政策); 9 自然减少 has left the
# register and is never drawn; 3 返贫 is back on it and counts as not exited.
EXITED_CODES = ("1", "2")
REMOVED_CODES = ("9",)


class SampledHousehold(models.Model):
    sample = models.ForeignKey(Sample, on_delete=models.PROTECT, related_name="entries")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["sample", "position"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "household"], name="insp_sample_household_once")
        ]

    def __str__(self):
        return f"{self.sample_id}#{self.position}"

    @property
    def exited(self) -> bool:
        return self.household.exit_status in EXITED_CODES


class SampleResult(models.Model):
    entry = models.OneToOneField(SampledHousehold, on_delete=models.PROTECT, related_name="result")
    identification_accurate = models.BooleanField(_("identification accurate"))
    exit_accurate = models.BooleanField(_("exit accurate"), null=True, blank=True)
    satisfied = models.BooleanField(_("satisfied"))
    knows_policies = models.BooleanField(_("knows the policies"))
    problems = models.TextField(_("problems found"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("sample result")
        verbose_name_plural = _("sample results")

    def __str__(self):
        return f"{self.entry_id}"


class MissedHousehold(models.Model):
    """A suspected missed household (漏评): not on the register but meeting the standard."""

    sample = models.ForeignKey(Sample, on_delete=models.PROTECT, related_name="missed")
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="+", verbose_name=_("village")
    )
    head_name = models.CharField(_("head of household"), max_length=50)
    persons = models.PositiveSmallIntegerField(_("persons"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("suspected missed household")
        verbose_name_plural = _("suspected missed households")
        ordering = ["pk"]

    def __str__(self):
        return self.head_name


# --- Weekly rankings (排序通报), DOMAIN.md §8 -------------------------------------------------

# Indicator keys, in display order. `higher_is_better` decides the direction of normalisation.
INDICATORS = (
    ("closing_rate", True),
    ("overdue", False),
    ("violations_per_100", False),
    ("visit_coverage", True),
    ("findings_per_100", False),
    ("spot_check", True),
    ("fund_disbursement", True),
    ("projects_on_schedule", True),
)
# A unit scored on fewer indicators than this is listed but neither ranked nor escalated.
MIN_APPLICABLE = 2


class RankingSettings(models.Model):
    """The command office's parameters of the weekly ranking (one row, pk=1; defaults by migration)."""

    w_closing_rate = models.DecimalField(
        _("weight: rectification closing rate"), max_digits=5, decimal_places=2, default=Decimal("25")
    )
    w_overdue = models.DecimalField(
        _("weight: overdue rectification items"), max_digits=5, decimal_places=2, default=Decimal("15")
    )
    w_violations_per_100 = models.DecimalField(
        _("weight: logic-check errors per 100 households"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("15"),
    )
    w_visit_coverage = models.DecimalField(
        _("weight: visit coverage"), max_digits=5, decimal_places=2, default=Decimal("20")
    )
    w_findings_per_100 = models.DecimalField(
        _("weight: inspection findings per 100 households"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10"),
    )
    w_spot_check = models.DecimalField(
        _("weight: spot-check accuracy"), max_digits=5, decimal_places=2, default=Decimal("15")
    )
    w_fund_disbursement = models.DecimalField(
        _("weight: fund disbursement rate"), max_digits=5, decimal_places=2, default=Decimal("10")
    )
    w_projects_on_schedule = models.DecimalField(
        _("weight: projects on schedule"), max_digits=5, decimal_places=2, default=Decimal("10")
    )
    top_n = models.PositiveSmallIntegerField(_("units marked at the top"), default=4)
    bottom_n = models.PositiveSmallIntegerField(_("units marked at the bottom"), default=4)
    escalation_places = models.PositiveSmallIntegerField(_("bottom places counted for escalation"), default=3)

    class Meta:
        verbose_name = _("ranking settings")
        verbose_name_plural = _("ranking settings")

    def __str__(self):
        return "ranking settings"

    def weights(self) -> dict:
        return {key: float(getattr(self, f"w_{key}")) for key, _better in INDICATORS}

    @classmethod
    def current(cls) -> "RankingSettings":
        return cls.objects.get_or_create(pk=1)[0]


class UnitKind(models.TextChoices):
    TOWNSHIP = "township", _("Township")
    DEPARTMENT = "department", _("Department")


class RankingSnapshot(models.Model):
    """One ISO week's ranking; written once, never recomputed or edited."""

    week = models.CharField(_("ISO week"), max_length=8, unique=True)  # "2026-W47"
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    weights = models.JSONField(_("weights"))
    parameters = models.JSONField(_("parameters"))
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)

    class Meta:
        verbose_name = _("weekly ranking")
        verbose_name_plural = _("weekly rankings")
        ordering = ["-first_day"]

    def __str__(self):
        return self.week

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("a weekly ranking snapshot is never changed once stored")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("inspections:ranking_week", args=[self.week])


class Escalation(models.IntegerChoices):
    NONE = 0, _("None")
    STATEMENT = 1, _("Statement at the meeting (表态发言)")
    ADMONITION = 2, _("Admonishing talk (诫勉谈话)")
    DEMOTION = 3, _("Demotion proposed (降级降职)")


class RankingEntry(models.Model):
    snapshot = models.ForeignKey(RankingSnapshot, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("unit kind"), max_length=12, choices=UnitKind.choices)
    township = models.ForeignKey(Township, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("unit"), max_length=60)
    rank = models.PositiveSmallIntegerField(_("rank"))
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    raw = models.JSONField(_("indicator values"))
    normalised = models.JSONField(_("normalised values"))
    top = models.BooleanField(_("top"), default=False)
    bottom = models.BooleanField(_("bottom"), default=False)
    bottom_streak = models.PositiveSmallIntegerField(_("consecutive weeks in the bottom places"), default=0)
    # How many indicators the score rests on; below MIN_APPLICABLE the unit is listed, not ranked.
    applicable = models.PositiveSmallIntegerField(_("indicators applied"), default=0)
    ranked = models.BooleanField(_("ranked"), default=True)
    escalation = models.PositiveSmallIntegerField(
        _("escalation level"), choices=Escalation.choices, default=Escalation.NONE
    )

    class Meta:
        verbose_name = _("ranking entry")
        verbose_name_plural = _("ranking entries")
        ordering = ["snapshot", "kind", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "kind", "rank"], name="insp_rank_once_per_week"),
        ]

    def __str__(self):
        return f"{self.snapshot_id} {self.kind} #{self.rank} {self.name}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("a weekly ranking entry is never changed once stored")
        super().save(*args, **kwargs)
