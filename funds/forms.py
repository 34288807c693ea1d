"""Forms of the funds pages; they parse and check shapes, the services decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from households.models import Household, Village
from povertycase.core import codes
from rectification.forms import parse_unit, unit_choices

from .models import AssetKind, BudgetLine

DATE_ATTRS = {"placeholder": "YYYY-MM-DD", "autocomplete": "off"}
TRANSITION_ACTIONS = ("approve", "start", "suspend", "resume", "complete", "accept", "reimburse", "withdraw")


def date_field(label, required=True):
    return forms.DateField(
        label=label, required=required, input_formats=["%Y-%m-%d"], widget=forms.TextInput(DATE_ATTRS)
    )


def money_field(label):
    return forms.DecimalField(label=label, min_value=0, max_digits=14, decimal_places=2)


class UnitField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=unit_choices, **kwargs)

    def clean(self, value):
        township, department = parse_unit(super().clean(value))
        if not (township or department):
            raise forms.ValidationError(_("Choose a township or a department."))
        return township, department


class AllocationForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2014, max_value=2100)
    source = forms.ChoiceField(label=_("fund source"))
    document_number = forms.CharField(label=_("document number"), max_length=80)
    document_date = date_field(_("document date"))
    amount = money_field(_("amount (yuan)"))
    unit = UnitField(label=_("receiving unit"))
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = codes.choices("fund_source")
        self.fields["year"].initial = timezone.localdate().year

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["receiving_township"], data["receiving_department"] = data.pop("unit")
        return data


class ProjectForm(forms.Form):
    number = forms.CharField(label=_("project number"), max_length=40)
    name = forms.CharField(label=_("project name"), max_length=120)
    year = forms.IntegerField(label=_("year"), min_value=2014, max_value=2100)
    project_type = forms.ChoiceField(label=_("project type"))
    unit = UnitField(label=_("implementing unit"))
    villages = forms.ModelMultipleChoiceField(
        label=_("villages"),
        queryset=Village.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    place = forms.CharField(label=_("place"), max_length=120, required=False)
    content = forms.CharField(
        label=_("construction content"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    planned_completion = date_field(_("planned completion"))

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project_type"].choices = codes.choices("fund_project_type")
        self.fields["villages"].queryset = villages if villages is not None else Village.objects.all()
        self.fields["year"].initial = timezone.localdate().year

    def service_data(self) -> tuple[dict, list]:
        data = dict(self.cleaned_data)
        data["implementing_township"], data["implementing_department"] = data.pop("unit")
        return data, list(data.pop("villages"))


class BudgetForm(forms.Form):
    allocation = forms.ModelChoiceField(label=_("allocation"), queryset=None)
    amount = money_field(_("amount (yuan)"))

    def __init__(self, *args, allocations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["allocation"].queryset = allocations


class BudgetLineChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: BudgetLine):
        source = codes.label("fund_source", obj.allocation.source)
        return f"{obj.allocation.document_number}（{source}，{obj.amount:,.2f} 元）"


class PaymentForm(forms.Form):
    budget_line = BudgetLineChoice(label=_("budget line"), queryset=None)
    paid_on = date_field(_("payment date"))
    amount = money_field(_("amount (yuan)"))
    payee = forms.CharField(label=_("payee"), max_length=100)
    voucher = forms.FileField(label=_("voucher"), required=False)

    def __init__(self, *args, lines=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = lines


class CompletionForm(forms.Form):
    percent = forms.IntegerField(label=_("completion %"), min_value=1, max_value=100)
    reported_on = date_field(_("date"))
    evidence = forms.FileField(label=_("evidence file"))
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class TransitionForm(forms.Form):
    on = date_field(_("date"), required=False)
    document = forms.CharField(label=_("approval document"), max_length=80, required=False)
    reason = forms.CharField(label=_("reason"), max_length=200, required=False)


class BeneficiaryForm(forms.Form):
    household_number = forms.CharField(label=_("household number"), max_length=20)
    amount = money_field(_("amount (yuan)"))

    def clean_household_number(self):
        return (
            Household.objects.select_related("village")
            .filter(number=self.cleaned_data["household_number"].strip())
            .first()
        )


class AssetForm(forms.Form):
    name = forms.CharField(label=_("asset name"), max_length=120)
    kind = forms.ChoiceField(label=_("asset kind"), choices=AssetKind.choices)
    owner = forms.CharField(label=_("owner"), max_length=100)
    manager = forms.CharField(label=_("manager"), max_length=100)
    value = money_field(_("value (yuan)"))
    formed_on = date_field(_("date formed"))


class DelayForm(forms.Form):
    reason = forms.CharField(label=_("reason for delay"), max_length=200)
