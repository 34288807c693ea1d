"""The register: households, their members, yearly income and assistance measures.

Code-list fields hold codes of `core.CodeList` (the list name is in the comment); the
register workbook and the pages show labels. Yes/no fields are nullable: empty = not filled.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .regions import Department, Village

MONEY = {"max_digits": 12, "decimal_places": 2, "default": Decimal("0")}


def join_codes(codes) -> str:
    """Store a code set as ';01;05;' so one cause can be found with `__contains=';05;'`."""
    unique = list(dict.fromkeys(c for c in codes if c))
    return f";{';'.join(unique)};" if unique else ""


def split_codes(value: str) -> list[str]:
    return [c for c in (value or "").split(";") if c]


class Household(models.Model):
    number = models.CharField(_("household number"), max_length=20, unique=True)
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="households", verbose_name=_("village")
    )
    group_name = models.CharField(_("village group"), max_length=50, blank=True)
    head_name = models.CharField(_("head of household"), max_length=50, blank=True, editable=False)
    # Follows exit_status (codefields.household_type_for); empty until a status says what it is.
    household_type = models.CharField(_("household type"), max_length=2, blank=True)  # household_type
    attribute = models.CharField(_("household attribute"), max_length=2)  # attribute
    id_standard = models.CharField(_("identification standard"), max_length=2, blank=True)  # id_standard
    identified_month = models.DateField(_("identification month"), null=True, blank=True)
    exit_status = models.CharField(_("exit status"), max_length=2, default="0")  # exit_status
    exit_month = models.DateField(_("exit month"), null=True, blank=True)
    main_cause = models.CharField(_("main cause of poverty"), max_length=2, blank=True)  # poverty_cause
    other_causes = models.CharField(_("other causes of poverty"), max_length=80, blank=True)
    member_count = models.PositiveSmallIntegerField(_("household size"), null=True, blank=True)
    farmland_area = models.DecimalField(
        _("farmland (mu)"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    is_dangerous_house = models.BooleanField(_("dangerous house"), null=True, blank=True)
    housing_grade = models.CharField(_("housing safety grade"), max_length=2, blank=True)  # housing_grade
    water_safe = models.BooleanField(_("drinking water safe"), null=True, blank=True)
    water_difficult = models.BooleanField(_("drinking water difficult"), null=True, blank=True)
    has_electricity = models.BooleanField(_("household electricity"), null=True, blank=True)
    phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    helper_name = models.CharField(_("helper"), max_length=50, blank=True)
    helper_phone = models.CharField(_("helper phone"), max_length=20, blank=True)
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="helped_households",
        verbose_name=_("helper account"),
    )
    # The township secretary or mayor who keeps in touch with the household (VS-005).
    contact_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="linked_households",
        verbose_name=_("township leader in contact"),
    )
    # Fields the imported layout did not carry (";measures;helper;"): blank there means never
    # collected, so the logic checks reading them stay silent (DOMAIN.md §9, blank policy).
    unrecorded = models.CharField(_("fields not recorded"), max_length=400, blank=True, editable=False)
    import_batch = models.ForeignKey(
        "households.ImportBatch",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["number"]
        indexes = [
            models.Index(fields=["village", "number"]),
            models.Index(fields=["attribute"]),
            models.Index(fields=["exit_status"]),
            models.Index(fields=["main_cause"]),
            models.Index(fields=["head_name"]),
        ]

    def __str__(self):
        return f"{self.number} {self.head_name}"

    def get_absolute_url(self):
        return reverse("households:household_detail", args=[self.pk])

    @property
    def other_cause_codes(self) -> list[str]:
        return split_codes(self.other_causes)

    @property
    def unrecorded_fields(self) -> set[str]:
        return set(split_codes(self.unrecorded))


class Member(models.Model):
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="members", verbose_name=_("household")
    )
    seq = models.PositiveSmallIntegerField(_("sequence"), default=1)
    person_number = models.CharField(_("person number"), max_length=24, blank=True)
    name = models.CharField(_("name"), max_length=20)
    id_type = models.CharField(_("ID type"), max_length=2, default="1")  # id_type
    # 18-character ID as text; NULL when the person has none (999999 placeholders too).
    id_number = models.CharField(_("ID number"), max_length=18, null=True, blank=True)
    disability_cert = models.CharField(_("disability certificate number"), max_length=22, blank=True)
    # the 残疾人证 category (1 视力 … 7 多重) and grade (1–4) of a 20/22-character number
    disability_category = models.CharField(_("disability category"), max_length=2, blank=True)
    disability_grade = models.CharField(_("disability grade"), max_length=2, blank=True)
    relation = models.CharField(_("relation to head"), max_length=2)  # relation
    sex = models.CharField(_("sex"), max_length=1)  # sex
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=2, blank=True)  # ethnicity
    political = models.CharField(_("political status"), max_length=2, blank=True)  # political
    education = models.CharField(_("education"), max_length=2, blank=True)  # education
    student_status = models.CharField(_("student stage"), max_length=2, blank=True)  # student_status
    out_of_school_reason = models.CharField(
        _("reason for not attending school"), max_length=2, blank=True
    )  # school_absence_reason
    health = models.CharField(_("health"), max_length=2, blank=True)  # health
    labour = models.CharField(_("labour capacity"), max_length=2, blank=True)  # labour
    work_status = models.CharField(_("work status"), max_length=2, blank=True)  # work_status
    work_months = models.PositiveSmallIntegerField(_("months worked"), null=True, blank=True)
    medical_insurance = models.BooleanField(_("basic medical insurance"), null=True, blank=True)
    serious_illness_insurance = models.BooleanField(_("serious illness insurance"), null=True, blank=True)
    pension_insurance = models.BooleanField(_("basic pension insurance"), null=True, blank=True)
    dibao = models.BooleanField(_("minimum living allowance (dibao)"), null=True, blank=True)
    tekun = models.BooleanField(_("extreme poverty support (tekun)"), null=True, blank=True)
    medical_aid = models.BooleanField(_("medical assistance"), null=True, blank=True)
    phone = models.CharField(_("member phone"), max_length=20, blank=True)
    plans_work_away = models.BooleanField(_("plans to work away"), null=True, blank=True)
    work_need = models.CharField(_("work wanted (job, place, training)"), max_length=100, blank=True)
    status = models.CharField(_("member status"), max_length=2, default="1")  # member_status
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["household", "seq", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["id_number"], name="member_unique_id_number"),
        ]
        indexes = [models.Index(fields=["name"])]

    def __str__(self):
        return self.name

    @property
    def is_head(self) -> bool:
        return self.relation == "01"

    @property
    def masked_id_number(self) -> str:
        n = self.id_number or ""
        return f"{n[:6]}********{n[-4:]}" if len(n) == 18 else n


class IncomeRecord(models.Model):
    """One year's income; net and per-capita are computed from the components, never typed."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="incomes", verbose_name=_("household")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    wage_income = models.DecimalField(_("wage income"), **MONEY)
    business_income = models.DecimalField(_("business income"), **MONEY)
    transfer_income = models.DecimalField(_("transfer income"), **MONEY)
    property_income = models.DecimalField(_("property income"), **MONEY)
    business_expense = models.DecimalField(_("business expenses"), **MONEY)
    member_count_used = models.PositiveSmallIntegerField(_("household size used"))
    net_income = models.DecimalField(_("net income"), editable=False, **MONEY)
    per_capita_income = models.DecimalField(_("per-capita net income"), editable=False, **MONEY)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("income record")
        verbose_name_plural = _("income records")
        ordering = ["household", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="income_unique_year"),
            models.CheckConstraint(
                condition=models.Q(member_count_used__gt=0), name="income_members_positive"
            ),
        ]

    def __str__(self):
        return f"{self.household.number} {self.year}"

    def save(self, *args, **kwargs):
        self.compute_totals()
        super().save(*args, **kwargs)

    def compute_totals(self) -> None:
        gross = self.wage_income + self.business_income + self.transfer_income + self.property_income
        self.net_income = gross - self.business_expense
        per_capita = Decimal(self.net_income) / Decimal(self.member_count_used or 1)
        self.per_capita_income = per_capita.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class AssistanceMeasure(models.Model):
    """One line of the household's plan (一户一策)."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="measures", verbose_name=_("household")
    )
    category = models.CharField(_("measure category"), max_length=4)  # measure_category
    item = models.CharField(_("measure"), max_length=4, blank=True)  # measure_item
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("responsible department")
    )
    # Set for measures aimed at one person (公益岗位, 就业帮扶, 雨露计划); blank for the household.
    member = models.ForeignKey(
        "Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("member concerned"),
    )
    status = models.CharField(_("status"), max_length=2, default="2")  # measure_status
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assistance measure")
        verbose_name_plural = _("assistance measures")
        ordering = ["household", "category", "item", "pk"]

    def __str__(self):
        return f"{self.household.number} {self.category}/{self.item}"
