"""A member's work records (务工记录) and public-welfare posts (公益性岗位)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .register import Member


class WorkRecord(models.Model):
    """One spell of work; the start may be blank in data from elsewhere, which MB-029 reports."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="work_records", verbose_name=_("member")
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    county = models.CharField(_("county of work"), max_length=60, blank=True)
    company = models.CharField(_("employer"), max_length=100, blank=True)
    industry = models.CharField(_("industry"), max_length=50, blank=True)
    channel = models.CharField(_("employment channel"), max_length=2, blank=True)  # work_channel
    monthly_wage = models.DecimalField(
        _("monthly wage (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("work record")
        verbose_name_plural = _("work records")
        ordering = ["member", "start_date", "pk"]

    def __str__(self):
        return f"{self.member} {self.start_date or ''}"


class PublicPost(models.Model):
    """A public-welfare post held by a member; blank post with a date is what MB-025 reports."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="public_posts", verbose_name=_("member")
    )
    post_type = models.CharField(_("post"), max_length=2, blank=True)  # public_post
    hired_on = models.DateField(_("hired in (month)"), null=True, blank=True)
    months = models.PositiveSmallIntegerField(_("months employed"), null=True, blank=True)
    monthly_pay = models.DecimalField(
        _("monthly subsidy (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("public-welfare post")
        verbose_name_plural = _("public-welfare posts")
        ordering = ["member", "hired_on", "pk"]

    def __str__(self):
        return f"{self.member} {self.post_type}"
