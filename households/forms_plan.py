"""Entry forms of the household's plan: one assistance measure, one year's income.

The forms parse; households.services.plan checks the values (item within its category, the
member of this household, dates, amounts, one record per year) and the view puts its errors here.
"""

import json

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from .codefields import ACTIVE_STATUS
from .forms import code_field
from .models import AssistanceMeasure, Department, Household, IncomeRecord, Member
from .services.plan import INCOME_COMPONENTS, item_categories

DATE_FORMAT = "%Y-%m-%d"
# (field, code list, required)
CODE_FIELDS = (
    ("category", "measure_category", True),
    ("item", "measure_item", False),
    ("status", "measure_status", True),
)


def _verbose(model, name: str):
    return model._meta.get_field(name).verbose_name


def _date_field(name: str) -> forms.DateField:
    return forms.DateField(
        label=_verbose(AssistanceMeasure, name),
        required=False,
        # Plain text like the register's other dates: the browsers' date pickers follow their own locale.
        widget=forms.DateInput(
            attrs={"placeholder": "YYYY-MM-DD", "inputmode": "numeric"}, format=DATE_FORMAT
        ),
        input_formats=[DATE_FORMAT],
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD.")},
    )


def _money_field(model, name: str, *, required: bool) -> forms.DecimalField:
    return forms.DecimalField(
        label=_verbose(model, name),
        required=required,
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        error_messages={"invalid": _("Enter an amount in yuan, e.g. 1200.50.")},
    )


def _reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=100,
        help_text=_("Kept in the household's change history."),
    )


def _row(*names, css="col-md-6 col-lg-3"):
    return Row(*(Column(name, css_class=css) for name in names))


class MeasureForm(forms.Form):
    year = forms.IntegerField(label=_verbose(AssistanceMeasure, "year"), required=False)
    description = forms.CharField(
        label=_verbose(AssistanceMeasure, "description"), required=False, max_length=200
    )
    start_date = _date_field("start_date")
    end_date = _date_field("end_date")
    amount = _money_field(AssistanceMeasure, "amount", required=False)
    department = forms.ModelChoiceField(
        label=_verbose(AssistanceMeasure, "department"), queryset=Department.objects.none(), required=False
    )
    member = forms.ModelChoiceField(
        label=_verbose(AssistanceMeasure, "member"),
        queryset=Member.objects.none(),
        required=False,
        empty_label=_("The whole household"),
        error_messages={"invalid_choice": _("Choose one of this household's members on the register.")},
    )
    reason = _reason_field()

    def __init__(self, *args, household: Household, measure: AssistanceMeasure | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_code_fields()
        self.fields["department"].queryset = Department.objects.order_by("code")
        # Members on the register; the one the measure names already stays choosable.
        members = household.members.filter(status=ACTIVE_STATUS)
        if measure is not None and measure.member_id:
            members = household.members.filter(status=ACTIVE_STATUS) | household.members.filter(
                pk=measure.member_id
            )
        self.fields["member"].queryset = members.order_by("seq", "pk")
        self.fields["item"].widget.attrs.update(
            {"data-categories": json.dumps(item_categories()), "data-plan-item": ""}
        )
        self.fields["category"].widget.attrs["data-plan-category"] = ""
        self.fields["item"].help_text = _("Only the measures of the chosen category are listed.")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("Assistance measure"),
                _row("category", "item", "year", "status"),
                _row("start_date", "end_date", "amount", "department"),
                Row(
                    Column("member", css_class="col-md-6 col-lg-3"),
                    Column("description", css_class="col-lg-9"),
                ),
            ),
            Fieldset(_("Change history"), "reason"),
        )

    def _add_code_fields(self) -> None:
        """Built per form, not at import: the code lists live in the database and may change."""
        for name, list_name, required in CODE_FIELDS:
            label = _verbose(AssistanceMeasure, name)
            self.fields[name] = code_field(list_name, label=label, required=required)
        self.fields["status"].initial = "2"  # 已落实, as the model's default

    @staticmethod
    def initial_from(measure: AssistanceMeasure) -> dict:
        return {
            "category": measure.category,
            "item": measure.item,
            "year": measure.year,
            "status": measure.status,
            "description": measure.description,
            "start_date": measure.start_date,
            "end_date": measure.end_date,
            "amount": measure.amount,
            "department": measure.department_id,
            "member": measure.member_id,
        }


class IncomeForm(forms.Form):
    year = forms.IntegerField(label=_verbose(IncomeRecord, "year"))
    wage_income = _money_field(IncomeRecord, "wage_income", required=False)
    business_income = _money_field(IncomeRecord, "business_income", required=False)
    transfer_income = _money_field(IncomeRecord, "transfer_income", required=False)
    property_income = _money_field(IncomeRecord, "property_income", required=False)
    business_expense = _money_field(IncomeRecord, "business_expense", required=False)
    member_count_used = forms.IntegerField(label=_verbose(IncomeRecord, "member_count_used"))
    reason = _reason_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in INCOME_COMPONENTS:
            self.fields[name].widget.attrs["data-plan-income"] = name
        self.fields["member_count_used"].widget.attrs["data-plan-income"] = "member_count_used"
        self.fields["member_count_used"].help_text = _(
            "Members on the register for the year; the per-capita income divides by it."
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("Income record"),
                _row("year", "member_count_used", css="col-md-6 col-lg-4"),
                _row("wage_income", "business_income", "transfer_income", css="col-md-6 col-lg-4"),
                _row("property_income", "business_expense", css="col-md-6 col-lg-4"),
            ),
            Fieldset(_("Change history"), "reason"),
        )

    def clean(self):
        cleaned = super().clean()
        for name in INCOME_COMPONENTS:
            if name in cleaned and cleaned[name] is None:
                cleaned[name] = 0
        return cleaned

    @staticmethod
    def initial_from(record: IncomeRecord) -> dict:
        return {name: getattr(record, name) for name in ("year", *INCOME_COMPONENTS, "member_count_used")}
