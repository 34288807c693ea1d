"""Forms of the ledger pages; they parse and check shapes, the services decide."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from households.models import Department, Household, Township
from povertycase.core import codes
from povertycase.core.params import id_or_none

from .models import Category, Item


def unit_choices(empty_label=None) -> list[tuple[str, str]]:
    """One select for 'township or department': values 't:<id>' and 'd:<id>'."""
    choices = [("", empty_label or "---------")]
    choices.append((_("Townships"), [(f"t:{t.pk}", t.name) for t in Township.objects.order_by("code")]))
    choices.append((_("Departments"), [(f"d:{d.pk}", d.name) for d in Department.objects.order_by("code")]))
    return choices


def parse_unit(value: str) -> tuple[Township | None, Department | None]:
    kind, _sep, text = (value or "").partition(":")
    pk = id_or_none(text)
    if pk is None:
        return None, None
    if kind == "t":
        return Township.objects.filter(pk=pk).first(), None
    if kind == "d":
        return None, Department.objects.filter(pk=pk).first()
    return None, None


def responsible_people():
    return (
        get_user_model()
        .objects.filter(is_active=True, profile__role__in=["township", "department", "village"])
        .select_related("profile")
        .order_by("username")
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = f"{obj.last_name}{obj.first_name}" or obj.username
        return f"{name}（{obj.profile.scope_label}）"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "form-control"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ItemForm(forms.ModelForm):
    source = forms.ChoiceField(label=_("source"))
    unit = forms.ChoiceField(label=_("responsible unit"))
    responsible_person = PersonChoiceField(queryset=None, required=False, label=_("responsible person"))
    household_number = forms.CharField(label=_("target household number"), required=False, max_length=20)

    class Meta:
        model = Item
        fields = [
            "number",
            "external_number",
            "source",
            "source_reference",
            "category",
            "description",
            "level",
            "target_township",
            "target_village",
            "target_department",
            "supervising_leader",
            "cooperating_units",
            "measures",
            "kind",
            "deadline",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 3}),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", "---------"), *codes.choices("rect_source")]
        self.fields["unit"].choices = unit_choices()
        self.fields["responsible_person"].queryset = responsible_people()
        self.fields["category"].queryset = Category.objects.filter(parent__isnull=False).select_related(
            "parent"
        )
        self.fields["category"].label_from_instance = lambda c: f"{c.code} {c.full_name}"
        item = self.instance
        if item.pk:
            unit = (
                f"t:{item.responsible_township_id}"
                if item.responsible_township_id
                else (f"d:{item.responsible_department_id}")
            )
            self.initial.update(unit=unit, responsible_person=item.responsible_person_id)
            if item.target_household_id:
                self.initial["household_number"] = item.target_household.number

    def clean_household_number(self):
        number = self.cleaned_data["household_number"].strip()
        if not number:
            return None
        household = Household.objects.filter(number=number).first()
        if household is None:
            raise forms.ValidationError(_("No household with this number."))
        return household

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k in self.Meta.fields}
        township, department = parse_unit(self.cleaned_data["unit"])
        data.update(
            responsible_township=township,
            responsible_department=department,
            responsible_person=self.cleaned_data.get("responsible_person"),
            target_household=self.cleaned_data.get("household_number"),
        )
        return data


class ProgressForm(forms.Form):
    date = forms.DateField(
        label=_("date"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    percent = forms.IntegerField(label=_("percent done"), min_value=0, max_value=100)
    text = forms.CharField(label=_("progress"), widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("evidence files"))


class ClosingRequestForm(forms.Form):
    text = forms.CharField(
        label=_("summary of the rectification"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    files = MultipleFileField(label=_("evidence files"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(forms.Form):
    document = forms.CharField(label=_("closing document"), required=False, max_length=200)
    note = forms.CharField(
        label=_("verification note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssignForm(forms.Form):
    unit = forms.ChoiceField(label=_("responsible unit"))
    person = PersonChoiceField(queryset=None, required=False, label=_("responsible person"))

    def __init__(self, *args, unit_options=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_options or unit_choices()
        self.fields["person"].queryset = responsible_people()


ACTION_FORMS = {
    "start": None,
    "progress": ProgressForm,
    "request_closing": ClosingRequestForm,
    "send_back": ReasonForm,
    "close": CloseForm,
    "withdraw": ReasonForm,
    "reopen": ReasonForm,
}
