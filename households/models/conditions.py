"""A household's production and living conditions (生产生活条件) and relocation (易地扶贫搬迁).

Not part of the register workbook (REGISTER_XLSX.md has no such columns): a household has a
row only once a cadre has recorded the survey, and HH-010…HH-012 read it only then.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .regions import Village
from .register import Household


def _area(label):
    return models.DecimalField(label, max_digits=8, decimal_places=1, null=True, blank=True)


class LivingConditions(models.Model):
    household = models.OneToOneField(
        Household, on_delete=models.CASCADE, related_name="conditions", verbose_name=_("household")
    )
    housing_area = _area(_("housing area (m²)"))
    forest_area = _area(_("forest land (mu)"))
    pasture_area = _area(_("pasture (mu)"))
    water_surface_area = _area(_("water surface (mu)"))
    returned_forest_area = _area(_("farmland returned to forest (mu)"))
    orchard_area = _area(_("orchards (mu)"))
    road_type = models.CharField(_("access road type"), max_length=2, blank=True)  # road_type
    road_distance_km = models.DecimalField(
        _("distance to the village main road (km)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    sanitary_toilet = models.BooleanField(_("sanitary toilet"), null=True, blank=True)
    main_fuel = models.CharField(_("main fuel"), max_length=2, blank=True)  # main_fuel
    is_relocated = models.BooleanField(_("relocated household"), null=True, blank=True)
    relocation_mode = models.CharField(_("resettlement mode"), max_length=2, blank=True)  # relocation_mode
    relocation_village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resettlement village"),
    )
    relocation_group = models.CharField(_("resettlement village group"), max_length=50, blank=True)
    relocation_place = models.CharField(_("resettlement site"), max_length=100, blank=True)
    relocated_on = models.DateField(_("moved in on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("living conditions")
        verbose_name_plural = _("living conditions")

    def __str__(self):
        return str(self.household)
