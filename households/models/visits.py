"""Visits (走访) of a household by its helper (帮扶责任人), with an optional scanned signature."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .register import Household


class Visit(models.Model):
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="visits", verbose_name=_("household")
    )
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visits", verbose_name=_("helper")
    )
    date = models.DateField(_("visit date"))
    kind = models.CharField(_("visit kind"), max_length=2)  # visit_kind
    done = models.TextField(_("what was done"))
    problems = models.TextField(_("problems found"), blank=True)
    confirmed_by = models.CharField(_("confirmed by (household)"), max_length=50, blank=True)
    attachment = models.FileField(
        _("signature or photo"), upload_to="visits/%Y/%m/", blank=True, max_length=200
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["household", "date"]),
            models.Index(fields=["helper", "date"]),
            models.Index(fields=["date"]),
        ]

    def __str__(self):
        return f"{self.household_id} {self.date}"

    def get_attachment_url(self) -> str:
        return reverse("households:visit_attachment", args=[self.pk]) if self.attachment else ""
