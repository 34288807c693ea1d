"""Forms of the inspection pages: they parse input; the services decide."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from households.models import Department, Household, Township, Village
from rectification.models import Category
from rectification.models import Kind as ItemKind

from .models import Inspection, InspectionTeam, Kind, TargetLevel

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InspectionForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=100)
    kind = forms.ChoiceField(label=_("inspection kind"), choices=Kind.choices)
    team = forms.ModelChoiceField(label=_("team"), queryset=InspectionTeam.objects.all(), required=False)
    start_date = forms.DateField(label=_("start date"), widget=DATE)
    end_date = forms.DateField(label=_("end date"), widget=DATE)
    townships = forms.ModelMultipleChoiceField(
        label=_("townships covered"),
        queryset=Township.objects.order_by("code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    villages = forms.ModelMultipleChoiceField(
        label=_("villages covered"),
        queryset=Village.objects.select_related("township").order_by("township__code", "code"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )


class FindingForm(forms.Form):
    level = forms.ChoiceField(label=_("target level"), choices=TargetLevel.choices)
    township = forms.ModelChoiceField(
        label=_("township"), queryset=Township.objects.order_by("code"), required=False
    )
    village = forms.ModelChoiceField(
        label=_("village"),
        queryset=Village.objects.select_related("township").order_by("township__code", "code"),
        required=False,
    )
    department = forms.ModelChoiceField(
        label=_("department"), queryset=Department.objects.order_by("code"), required=False
    )
    household_number = forms.CharField(label=_("household number"), max_length=20, required=False)
    responsible_person = forms.CharField(label=_("responsible person"), max_length=50, required=False)
    text = forms.CharField(label=_("finding"), widget=forms.Textarea(attrs={"rows": 3}))

    def clean_household_number(self):
        number = self.cleaned_data["household_number"].strip()
        if not number:
            return None
        household = Household.objects.filter(number=number).select_related("village__township").first()
        if household is None:
            raise forms.ValidationError(_("No household with this number."))
        return household

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["household"] = data.pop("household_number")
        return data


class FindingItemForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("category"),
        queryset=Category.objects.filter(parent__isnull=False).select_related("parent").order_by("code"),
    )
    responsible_township = forms.ModelChoiceField(
        label=_("responsible township"), queryset=Township.objects.order_by("code"), required=False
    )
    responsible_department = forms.ModelChoiceField(
        label=_("responsible department"), queryset=Department.objects.order_by("code"), required=False
    )
    kind = forms.ChoiceField(
        label=_("rectification type"), choices=ItemKind.choices, initial=ItemKind.DEADLINE
    )
    deadline = forms.DateField(label=_("deadline"), required=False, widget=DATE)
    measures = forms.CharField(
        label=_("rectification measures"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SampleForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=100)
    inspection = forms.ModelChoiceField(
        label=_("inspection"), queryset=Inspection.objects.all(), required=False
    )
    rate_percent = forms.DecimalField(
        label=_("sampling rate (%)"),
        initial=Decimal("10"),
        min_value=Decimal("0.1"),
        max_value=100,
        decimal_places=2,
    )
    remote_factor = forms.DecimalField(
        label=_("over-sampling factor for remote villages"),
        initial=Decimal("1"),
        min_value=1,
        max_value=10,
        decimal_places=2,
        help_text=_("1 = no over-sampling; 2 draws remote villages at twice the rate."),
    )
    seed = forms.IntegerField(
        label=_("random seed"), required=False, min_value=1, help_text=_("Leave empty for a new random seed.")
    )
    townships = forms.ModelMultipleChoiceField(
        label=_("townships (all if none chosen)"),
        queryset=Township.objects.order_by("code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


YES_NO = [("1", _("Yes")), ("0", _("No"))]


class ResultForm(forms.Form):
    identification_accurate = forms.TypedChoiceField(
        label=_("identification accurate"),
        choices=YES_NO,
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    exit_accurate = forms.TypedChoiceField(
        label=_("exit accurate"),
        choices=[("", _("Not exited")), *YES_NO],
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    satisfied = forms.TypedChoiceField(
        label=_("satisfied"), choices=YES_NO, coerce=lambda v: v == "1", widget=forms.RadioSelect
    )
    knows_policies = forms.TypedChoiceField(
        label=_("knows the policies"), choices=YES_NO, coerce=lambda v: v == "1", widget=forms.RadioSelect
    )
    problems = forms.CharField(
        label=_("problems found"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MissedForm(forms.Form):
    village = forms.ModelChoiceField(
        label=_("village"),
        queryset=Village.objects.select_related("township").order_by("township__code", "code"),
    )
    head_name = forms.CharField(label=_("head of household"), max_length=50)
    persons = forms.IntegerField(label=_("persons"), min_value=1, max_value=30)
    note = forms.CharField(label=_("note"), required=False, max_length=500)


class SurveyedForm(forms.Form):
    persons = forms.IntegerField(label=_("persons of non-registered households surveyed"), min_value=0)
