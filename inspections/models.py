"""Inspections and findings (督查暗访) and random spot checks (抽查), DOMAIN.md §7.

A finding names its target (township, village, department or household) and opens at most
one rectification item, linked both ways (`Finding.item`, `Item.finding`). A sample stores
its seed, rate and over-sampling factor with the drawn list; the list never changes once
drawn (a new draw is a new sample). Results and suspected missed households are kept beside it.
"""

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
