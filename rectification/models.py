"""The rectification ledger (整改台账, DOMAIN.md §6): categories, items, their trail and files.

Overdue is never stored: `ItemQuerySet.overdue(today)` and `Item.is_overdue_on(today)` derive it
from the deadline and the status. Items are never deleted; withdrawing keeps them.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from households.models import Department, Household, Township, Village


class Category(models.Model):
    """Two levels (DOMAIN.md §6.3): level-1 '07 住房安全', level-2 '0701 疑似危房' under it."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=60)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    sort = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def full_name(self) -> str:
        return f"{self.parent.name}／{self.name}" if self.parent_id else self.name


class Status(models.TextChoices):
    PENDING = "pending", _("To rectify")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Closing requested")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The responsible unit still owes work in these states; only they can become overdue.
WORKING = (Status.PENDING, Status.IN_PROGRESS)
OPEN = (Status.PENDING, Status.IN_PROGRESS, Status.SUBMITTED)


class Kind(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediate")
    DEADLINE = "deadline", _("By deadline")
    LONG_TERM = "long_term", _("Long-term")


class Level(models.TextChoices):
    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")
    VILLAGE = "village", _("Village")
    HOUSEHOLD = "household", _("Household")
    DEPARTMENT = "department", _("Department")


class ItemQuerySet(models.QuerySet):
    def overdue(self, today: datetime.date):
        return self.filter(status__in=WORKING, deadline__lt=today)

    def not_overdue(self, today: datetime.date):
        return self.exclude(status__in=WORKING, deadline__lt=today)

    def due_between(self, first: datetime.date, last: datetime.date):
        return self.filter(status__in=WORKING, deadline__gte=first, deadline__lte=last)


class Item(models.Model):
    number = models.CharField(_("ledger number"), max_length=30, unique=True)
    external_number = models.CharField(_("external number"), max_length=60, blank=True)
    source = models.CharField(_("source"), max_length=10)  # code list rect_source
    source_reference = models.CharField(_("source reference"), max_length=200, blank=True)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="items", verbose_name=_("category")
    )
    description = models.TextField(_("problem description"))
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, default=Level.COUNTY)
    # The target; a village or household target also fills the regions above it, so one
    # indexed column answers "is it in my township/village" (see queries.items_visible_to).
    target_township = models.ForeignKey(
        Township,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("target township"),
    )
    target_village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("target village"),
    )
    target_household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("target household"),
    )
    target_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("target department"),
    )
    responsible_township = models.ForeignKey(
        Township,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectification_items",
        verbose_name=_("responsible township"),
    )
    responsible_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectification_items",
        verbose_name=_("responsible department"),
    )
    responsible_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectification_items",
        verbose_name=_("responsible person"),
    )
    supervising_leader = models.CharField(_("supervising leader"), max_length=50, blank=True)
    cooperating_units = models.CharField(_("cooperating units"), max_length=200, blank=True)
    measures = models.TextField(_("rectification measures"), blank=True)
    kind = models.CharField(
        _("rectification type"), max_length=12, choices=Kind.choices, default=Kind.DEADLINE
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    progress_percent = models.PositiveSmallIntegerField(_("progress %"), default=0)
    last_progress_on = models.DateField(_("last progress update"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closing_document = models.CharField(_("closing document"), max_length=200, blank=True)
    reopened_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    last_notified = models.DateField(_("last reminded"), null=True, blank=True)
    last_notified_stage = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["last_notified", "last_notified_stage", "updated_at"])

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        ordering = ["number"]
        indexes = [models.Index(fields=["status", "deadline"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(responsible_township__isnull=True, responsible_department__isnull=False)
                | Q(responsible_township__isnull=False, responsible_department__isnull=True),
                name="rect_item_one_responsible_unit",
            ),
            models.CheckConstraint(
                condition=Q(kind="long_term") | Q(deadline__isnull=False),
                name="rect_item_deadline_unless_long_term",
            ),
            models.CheckConstraint(condition=Q(progress_percent__lte=100), name="rect_item_percent_max_100"),
        ]

    def __str__(self):
        return f"{self.number} {self.description[:30]}"

    def get_absolute_url(self):
        return reverse("rectification:item_detail", args=[self.pk])

    @property
    def responsible_unit(self):
        return self.responsible_township or self.responsible_department

    @property
    def target(self):
        return {
            Level.TOWNSHIP: self.target_township,
            Level.VILLAGE: self.target_village,
            Level.HOUSEHOLD: self.target_household,
            Level.DEPARTMENT: self.target_department,
        }.get(self.level)

    def is_overdue_on(self, today: datetime.date) -> bool:
        return self.status in WORKING and self.deadline is not None and self.deadline < today

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())

    def days_overdue(self, today: datetime.date) -> int:
        return (today - self.deadline).days if self.is_overdue_on(today) else 0


class Transition(models.Model):
    """One step of the item's workflow: who, when, from which state to which, and why."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="transitions")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(_("time"), default=timezone.now)
    action = models.CharField(_("action"), max_length=20)
    from_status = models.CharField(_("from"), max_length=12, blank=True)
    to_status = models.CharField(_("to"), max_length=12)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.item_id} {self.from_status}→{self.to_status}"


class ProgressUpdate(models.Model):
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="updates")
    date = models.DateField(_("date"))
    text = models.TextField(_("progress"))
    percent = models.PositiveSmallIntegerField(_("percent done"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["date", "pk"]

    def __str__(self):
        return f"{self.date} {self.percent}%"


class Evidence(models.Model):
    """A supporting file (佐证材料); served only through the scoped download view."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="evidence")
    update = models.ForeignKey(
        ProgressUpdate, on_delete=models.PROTECT, null=True, blank=True, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("rectification:evidence_download", args=[self.pk])


class UnitHead(models.Model):
    """The head of a township or department, who also hears of its overdue items.

    Profiles carry no 'head' flag, so the ledger keeps its own list; a unit with no head
    listed falls back to every active user of that unit (see alerts.unit_heads).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    township = models.ForeignKey(Township, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("unit head")
        verbose_name_plural = _("unit heads")
        constraints = [
            models.CheckConstraint(
                condition=Q(township__isnull=True, department__isnull=False)
                | Q(township__isnull=False, department__isnull=True),
                name="rect_unithead_one_unit",
            )
        ]

    def __str__(self):
        return f"{self.township or self.department}: {self.user}"


class ExportJob(models.Model):
    """A ledger export run by the worker; the page polls its progress."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    params = models.JSONField(default=dict, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.state}"

    @property
    def percent(self) -> int:
        return (
            100 if self.state == self.State.DONE else int(100 * self.done / self.total) if self.total else 0
        )
