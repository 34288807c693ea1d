from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    """One upload of a register workbook: its file, who ran it, its counts and its errors."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        VALIDATING = "validating", _("Checking")
        INVALID = "invalid", _("Has errors")
        VALID = "valid", _("Ready to import")
        IMPORTING = "importing", _("Importing")
        IMPORTED = "imported", _("Imported")
        FAILED = "failed", _("Failed")
        ROLLED_BACK = "rolled_back", _("Rolled back")

    county = models.ForeignKey(
        "households.County", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("county")
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, verbose_name=_("imported by")
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.UPLOADED)
    update_existing = models.BooleanField(_("update existing households"), default=False)
    create_regions = models.BooleanField(_("create unknown regions"), default=False)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    households_count = models.PositiveIntegerField(_("households"), default=0)
    members_count = models.PositiveIntegerField(_("members"), default=0)
    created_count = models.PositiveIntegerField(_("households created"), default=0)
    updated_count = models.PositiveIntegerField(_("households updated"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    layout = models.CharField(_("layout"), max_length=20, blank=True)
    data_date = models.DateField(_("data as of"), null=True, blank=True)
    columns = models.JSONField(_("columns read, ignored and lacking"), default=dict, blank=True)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at"]

    def __str__(self):
        return f"#{self.pk} {self.original_name}"

    def get_absolute_url(self):
        return reverse("households:import_detail", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.UPLOADED, self.Status.VALIDATING, self.Status.IMPORTING}

    @property
    def layout_label(self) -> str:
        from ..excel.layouts import BY_NAME

        return str(BY_NAME[self.layout].label) if self.layout in BY_NAME else self.layout

    @property
    def errors(self) -> list[dict]:
        """Every error as a dict (for the services, the command and tests; pages page `error_rows`)."""
        cached = self.__dict__.get("_errors")
        if cached is None:
            rows = self.error_rows.all() if self.pk and self.error_count else []
            cached = self.__dict__["_errors"] = [row.as_dict() for row in rows]
        return cached


class ImportBatchError(models.Model):
    """One error of a batch's check: a batch of a junk workbook holds hundreds of thousands."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="error_rows")
    position = models.PositiveIntegerField()  # the order the check reported them in
    row = models.PositiveIntegerField(null=True, blank=True)
    column = models.CharField(max_length=255, blank=True)
    code = models.CharField(max_length=40, blank=True)
    value = models.TextField(blank=True)
    message = models.TextField()

    class Meta:
        ordering = ["batch", "position"]
        indexes = [models.Index(fields=["batch", "position"]), models.Index(fields=["batch", "row"])]

    def __str__(self):
        return f"{self.batch_id}:{self.row} {self.message[:40]}"

    def as_dict(self) -> dict:
        return {"code": self.code, "row": self.row, "column": self.column, "value": self.value,
                "message": self.message}  # fmt: skip


class ImportBatchHousehold(models.Model):
    """What a batch did to one household, with the state before, so it can be rolled back."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="touched")
    household = models.ForeignKey(
        "households.Household", on_delete=models.SET_NULL, null=True, related_name="import_touches"
    )
    number = models.CharField(max_length=20)
    action = models.CharField(max_length=10, choices=Action.choices)
    snapshot = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["household", "batch"])]

    def __str__(self):
        return f"{self.batch_id} {self.action} {self.number}"
