"""Village trips (下村) of township leaders, read by VS-005 with their linked households."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .regions import Village


class VillageTrip(models.Model):
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="village_trips",
        verbose_name=_("leader"),
    )
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="trips", verbose_name=_("village")
    )
    date = models.DateField(_("date"))
    purpose = models.CharField(_("purpose and work done"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("village trip")
        verbose_name_plural = _("village trips")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["leader", "date"])]

    def __str__(self):
        return f"{self.leader_id} {self.village_id} {self.date}"
