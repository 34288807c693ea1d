"""Village indicators (DOMAIN.md §4.4) that the VL checks read; one row per village."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .regions import Village


def _count(label):
    return models.PositiveIntegerField(label, null=True, blank=True)


class VillageIndicators(models.Model):
    village = models.OneToOneField(
        Village, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("village")
    )
    total_households = _count(_("total households"))
    total_population = _count(_("total population"))
    collective_income = models.DecimalField(
        _("collective economy income (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    primary_schools = _count(_("primary schools"))
    pension_insured = _count(_("people in pension insurance"))
    bus_service = models.BooleanField(_("bus service"), null=True, blank=True)
    clinics = _count(_("clinics"))
    doctors = _count(_("licensed doctors"))
    public_toilets = _count(_("public toilets"))
    garbage_points = _count(_("garbage collection points"))
    cultural_rooms = _count(_("cultural rooms"))
    dibao_households = _count(_("dibao households"))
    dibao_persons = _count(_("dibao persons"))
    tekun_persons = _count(_("tekun persons"))
    disabled_persons = _count(_("disabled persons"))
    hardened_road = models.BooleanField(_("hardened road to the township"), null=True, blank=True)
    households_without_water = _count(_("households without safe water"))
    households_in_danger_housing = _count(_("households in danger housing"))
    land_area = models.DecimalField(
        _("land area (mu)"), max_digits=10, decimal_places=1, null=True, blank=True
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("village indicators")
        verbose_name_plural = _("village indicators")

    def __str__(self):
        return str(self.village)
