from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CodeList(models.Model):
    """One allowed value of one code list (DOMAIN.md §2); lists are data, never enums.

    `extra` holds list-specific facts: implied sex and generation for relations, age bands
    for student stages, import aliases, the label the register workbook writes.
    """

    list = models.CharField(_("list"), max_length=40, db_index=True)
    code = models.CharField(_("code"), max_length=20)
    label_zh = models.CharField(_("label"), max_length=60)
    sort = models.PositiveIntegerField(_("sort order"), default=0)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    extra = models.JSONField(_("extra"), default=dict, blank=True)

    class Meta:
        verbose_name = _("code list entry")
        verbose_name_plural = _("code lists")
        ordering = ["list", "sort", "code"]
        constraints = [models.UniqueConstraint(fields=["list", "code"], name="codelist_unique_code")]

    def __str__(self):
        return f"{self.list}:{self.code} {self.label_zh}"


class Parameter(models.Model):
    """A yearly number (DOMAIN.md §3); a county row overrides the national one."""

    name = models.CharField(_("name"), max_length=60, db_index=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    region_code = models.CharField(_("region code"), max_length=12, blank=True)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    source = models.CharField(_("source"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("parameter")
        verbose_name_plural = _("parameters")
        ordering = ["name", "year", "region_code"]
        constraints = [
            models.UniqueConstraint(fields=["name", "year", "region_code"], name="parameter_unique")
        ]

    def __str__(self):
        return f"{self.name} {self.year or ''} {self.region_code} = {self.value}"


class ExportLog(models.Model):
    """Every export: who, when, what, with which filter, how many rows."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    kind = models.CharField(_("kind"), max_length=40)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)

    class Meta:
        verbose_name = _("export log entry")
        verbose_name_plural = _("export log")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.user} {self.kind} {self.row_count}"


class SubmissionToken(models.Model):
    """A create form's one-time token: the first POST with it stores the record, a repeat finds it here."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)
    result_url = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self):
        return self.token
