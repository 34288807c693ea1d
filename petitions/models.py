"""Petitions (信访, DOMAIN.md §10.2) with their revisits, and the safeguards after exit (§10.3).

Overdue is derived, never stored: an open petition (registered or being handled) past its
deadline. A petition whose handling township and department are both empty is handled by the
county command office itself (after an escalation, or when the office registers it so).
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from households.models import Department, Household, Member, Township


class State(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    HANDLING = "handling", _("Being handled")
    REPLIED = "replied", _("Replied")
    REVISITED = "revisited", _("Revisited")
    CLOSED = "closed", _("Concluded")


OPEN_STATES = (State.REGISTERED, State.HANDLING)


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    MOSTLY = "mostly", _("Mostly satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class PetitionQuerySet(models.QuerySet):
    def overdue(self, today: datetime.date):
        return self.filter(state__in=OPEN_STATES, deadline__lt=today)

    def due_between(self, first: datetime.date, last: datetime.date):
        return self.filter(state__in=OPEN_STATES, deadline__gte=first, deadline__lte=last)


class Petition(models.Model):
    number = models.CharField(_("petition number"), max_length=30, unique=True)
    channel = models.CharField(_("channel"), max_length=4)  # code list petition_channel
    date = models.DateField(_("date received"))
    anonymous = models.BooleanField(_("anonymous"), default=False)
    complainant_name = models.CharField(_("complainant"), max_length=50, blank=True)
    complainant_phone = models.CharField(_("complainant's phone"), max_length=20, blank=True)
    households = models.ManyToManyField(
        Household, blank=True, related_name="petitions", verbose_name=_("households")
    )
    # The area the petition concerns: a township sees its own area's petitions.
    township = models.ForeignKey(
        Township,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="petitions",
        verbose_name=_("township concerned"),
    )
    category = models.ForeignKey(
        "rectification.Category",
        on_delete=models.PROTECT,
        related_name="petitions",
        verbose_name=_("category"),
    )
    content = models.TextField(_("content"))
    handling_township = models.ForeignKey(
        Township,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_petitions",
        verbose_name=_("handling township"),
    )
    handling_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_petitions",
        verbose_name=_("handling department"),
    )
    handling_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_petitions",
        verbose_name=_("handling person"),
    )
    deadline = models.DateField(_("handling deadline"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.REGISTERED)
    reply = models.TextField(_("reply"), blank=True)
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    satisfaction = models.CharField(
        _("satisfaction"), max_length=12, choices=Satisfaction.choices, blank=True
    )
    escalated = models.BooleanField(_("escalated to the command office"), default=False)
    reopened_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    rectification_item = models.ForeignKey(
        "rectification.Item",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="petitions",
        verbose_name=_("ledger item"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    closed_on = models.DateField(_("concluded on"), null=True, blank=True)
    last_notified = models.DateField(null=True, blank=True)
    last_notified_stage = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    history = HistoricalRecords(
        excluded_fields=["last_notified", "last_notified_stage"], m2m_fields=[households]
    )

    objects = PetitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["state", "deadline"]), models.Index(fields=["date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(handling_township__isnull=True) | Q(handling_department__isnull=True),
                name="petition_at_most_one_handling_unit",
            )
        ]

    def __str__(self):
        return f"{self.number} {self.content[:30]}"

    def get_absolute_url(self):
        return reverse("petitions:detail", args=[self.pk])

    @property
    def handling_unit(self):
        return self.handling_township or self.handling_department

    @property
    def handling_unit_label(self) -> str:
        unit = self.handling_unit
        return str(unit) if unit else str(_("County command office"))

    def is_overdue_on(self, today: datetime.date) -> bool:
        return self.state in OPEN_STATES and self.deadline < today

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())

    def days_overdue(self, today: datetime.date) -> int:
        return (today - self.deadline).days if self.is_overdue_on(today) else 0


class Step(models.Model):
    """One step of the petition's workflow: who, when, which state to which, and why."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="steps")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(_("time"), default=timezone.now)
    action = models.CharField(_("action"), max_length=20)
    from_state = models.CharField(_("from"), max_length=12, blank=True)
    to_state = models.CharField(_("to"), max_length=12)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("petition step")
        verbose_name_plural = _("petition steps")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.petition_id} {self.from_state}→{self.to_state}"


class Attachment(models.Model):
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="petitions/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("petition attachment")
        verbose_name_plural = _("petition attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class Campaign(models.Model):
    """A revisit campaign (大回访) over past petitions chosen by the command office."""

    name = models.CharField(_("name"), max_length=100)
    period_from = models.DateField(_("petitions from"))
    period_to = models.DateField(_("petitions until"))
    category = models.ForeignKey(
        "rectification.Category",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
    )
    township = models.ForeignKey(
        Township,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("township"),
    )
    petitions = models.ManyToManyField(Petition, through="CampaignEntry", related_name="campaigns")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("revisit campaign")
        verbose_name_plural = _("revisit campaigns")
        ordering = ["-created_at"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("petitions:campaign_detail", args=[self.pk])


class CampaignEntry(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="entries")
    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="campaign_entries")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    revisit = models.ForeignKey(
        "Revisit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revisit"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("campaign petition")
        verbose_name_plural = _("campaign petitions")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "petition"], name="campaign_petition_once")
        ]

    def __str__(self):
        return f"{self.campaign_id}/{self.petition_id}"


class Revisit(models.Model):
    """回访: the complainant asked after the reply (or in a campaign) whether it was settled."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="revisits")
    date = models.DateField(_("revisit date"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("by")
    )
    result = models.TextField(_("result"))
    satisfaction = models.CharField(_("satisfaction"), max_length=12, choices=Satisfaction.choices)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="revisits"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("revisit")
        verbose_name_plural = _("revisits")
        ordering = ["date", "pk"]

    def __str__(self):
        return f"{self.petition_id} {self.date}"


class InsurancePolicy(models.Model):
    """防贫保险: one policy per year and insurer."""

    year = models.PositiveSmallIntegerField(_("year"))
    insurer = models.CharField(_("insurer"), max_length=100)
    premium = models.DecimalField(_("premium per household (元)"), max_digits=10, decimal_places=2)
    payer = models.CharField(_("paid by"), max_length=2)  # code list insurance_payer
    note = models.CharField(_("note"), max_length=200, blank=True)
    households = models.ManyToManyField(
        Household, through="Enrollment", related_name="insurance_policies", verbose_name=_("households")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("insurance policy")
        verbose_name_plural = _("insurance policies")
        ordering = ["-year", "insurer"]
        constraints = [
            models.UniqueConstraint(fields=["year", "insurer"], name="insurance_policy_year_insurer")
        ]

    def __str__(self):
        return f"{self.year} {self.insurer}"

    def get_absolute_url(self):
        return reverse("petitions:policy_detail", args=[self.pk])


class Enrollment(models.Model):
    policy = models.ForeignKey(InsurancePolicy, on_delete=models.CASCADE, related_name="enrollments")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="insurance_enrollments")
    added_by_county = models.BooleanField(_("added by the county"), default=False)
    enrolled_on = models.DateField(_("enrolled on"), default=timezone.localdate)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("insurance enrollment")
        verbose_name_plural = _("insurance enrollments")
        ordering = ["policy", "household"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "household"], name="insurance_enrolled_once")
        ]

    def __str__(self):
        return f"{self.policy} {self.household_id}"


class Claim(models.Model):
    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="claims")
    cause = models.CharField(_("cause"), max_length=2)  # code list insurance_claim_cause
    amount = models.DecimalField(_("amount (元)"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("date paid"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("insurance claim")
        verbose_name_plural = _("insurance claims")
        ordering = ["-paid_on", "pk"]

    def __str__(self):
        return f"{self.enrollment} {self.amount}"


class CareForm(models.TextChoices):
    CARE_HOME = "care_home", _("Centralised: care home (敬老院)")
    TURNOVER_HOUSE = "turnover", _("Centralised: village turnover house")
    SCATTERED = "scattered", _("Scattered (分散供养)")


CENTRALISED = (CareForm.CARE_HOME, CareForm.TURNOVER_HOUSE)


class Dependency(models.TextChoices):
    SELF_CARE = "self_care", _("Able to care for themselves")
    PARTLY = "partly", _("Partly dependent")
    FULLY = "fully", _("Fully dependent")


class Care(models.Model):
    """五保 care of one 特困供养 person: where they are cared for, or who cares under agreement."""

    member = models.OneToOneField(Member, on_delete=models.PROTECT, related_name="five_guarantee_care")
    dependency = models.CharField(_("self-care ability"), max_length=10, choices=Dependency.choices)
    form = models.CharField(_("care form"), max_length=10, choices=CareForm.choices)
    institution = models.CharField(_("care home or turnover house"), max_length=100, blank=True)
    carer = models.CharField(_("carer under agreement"), max_length=50, blank=True)
    agreement_date = models.DateField(_("agreement date"), null=True, blank=True)
    agreement_file = models.FileField(
        _("agreement file"), upload_to="care/%Y/%m/", blank=True, max_length=200
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("五保 care")
        verbose_name_plural = _("五保 care")
        ordering = ["member"]

    def __str__(self):
        return f"{self.member} {self.get_form_display()}"

    @property
    def has_agreement(self) -> bool:
        return bool(self.carer and self.agreement_date)
