"""Entry forms of the register: a household and its members on one page.

Forms parse and show; the rules that need the database (one 户主, ID numbers, the same person
in two households) live in households.services.register, whose errors the view puts back here.
"""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Fieldset, Layout, Row
from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from povertycase.core import codes

from .codefields import HOUSEHOLD_CODE_FIELDS, MEMBER_CODE_FIELDS, MONTH_FIELDS
from .models import Household, Member
from .queries import villages_visible_to
from .services.register import HOUSEHOLD_FIELDS, MEMBER_FIELDS


class MonthInput(forms.DateInput):
    """Plain text shown as YYYY-MM: the browsers' month pickers differ and follow their locale."""

    def __init__(self, attrs=None):
        super().__init__({"placeholder": "YYYY-MM", "inputmode": "numeric", **(attrs or {})}, format="%Y-%m")


class MonthField(forms.DateField):
    """A month typed as YYYY-MM (or YYYYMM), stored as the first day of that month."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%Y%m", "%Y-%m-%d"]
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM.")}

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace(day=1) if isinstance(value, datetime.date) else value


class YesNoSelect(forms.NullBooleanSelect):
    """是 / 否, with an empty 未填 choice: an empty yes/no field means "not filled in"."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", _("Not filled")), ("true", _("Yes")), ("false", _("No"))]

    def format_value(self, value):
        # A list, as for any select: a bare "" would match every option as a substring.
        return [{True: "true", False: "false", "true": "true", "false": "false"}.get(value, "")]


def code_field(list_name: str, *, label, required: bool, initial=None) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=required,
        initial=initial,
        choices=[("", "---------"), *codes.choices(list_name)],
    )


def _use_code_lists(form: forms.ModelForm, mapping: dict) -> None:
    for name, list_name in mapping.items():
        if name in form.fields:
            old = form.fields[name]
            form.fields[name] = code_field(
                list_name, label=old.label, required=old.required, initial=old.initial
            )


def _use_yes_no(form: forms.ModelForm) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.NullBooleanField):
            field.widget = YesNoSelect()


class HouseholdForm(forms.ModelForm):
    other_causes = forms.MultipleChoiceField(
        label=_("other causes of poverty"), required=False, widget=forms.CheckboxSelectMultiple
    )
    change_reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=200,
        help_text=_("Kept in the household's change history."),
    )

    class Meta:
        model = Household
        fields = HOUSEHOLD_FIELDS
        field_classes = dict.fromkeys(MONTH_FIELDS, MonthField)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages_visible_to(user)
        self.fields["village"].label_from_instance = lambda v: f"{v.township.name} · {v.name}"
        _use_code_lists(self, HOUSEHOLD_CODE_FIELDS)
        _use_yes_no(self)
        self.fields["other_causes"].choices = codes.choices("poverty_cause")
        if self.instance.pk:
            self.initial["other_causes"] = self.instance.other_cause_codes
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                _("Household"),
                _row("number", "village", "group_name", "household_type"),
                _row("attribute", "id_standard", "identified_month", "exit_status", "exit_month"),
                _row("main_cause", "phone", "helper_name", "helper_phone"),
                Field("other_causes", wrapper_class="checkbox-inline-list"),
            ),
            Fieldset(
                _("Living conditions"),
                _row("farmland_area", "is_dangerous_house", "housing_grade"),
                _row("water_safe", "water_difficult", "has_electricity"),
            ),
            Fieldset(_("Change history"), "change_reason"),
        )

    def clean_main_cause(self):
        return self.cleaned_data.get("main_cause") or ""


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = MEMBER_FIELDS
        widgets = {"birth_date": forms.DateInput(attrs={"placeholder": "YYYY-MM-DD"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _use_code_lists(self, MEMBER_CODE_FIELDS)
        _use_yes_no(self)
        # Derived from the ID number when left empty; a mismatch is reported by the service.
        self.fields["sex"].required = False
        self.fields["birth_date"].required = False
        self.fields["id_number"].widget.attrs.update(
            {"autocomplete": "off", "spellcheck": "false", "class": "font-monospace"}
        )
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            _row("name", "relation", "id_type", "id_number", "sex", "birth_date"),
            _row("ethnicity", "political", "education", "student_status", "health", "labour"),
            _row("work_status", "work_months", "status", "disability_cert", "person_number"),
            _row(
                "medical_insurance",
                "serious_illness_insurance",
                "pension_insurance",
                "medical_aid",
                "dibao",
                "tekun",
            ),
            _row("out_of_school_reason", "phone", "plans_work_away", "work_need", widths=(3, 2, 2, 5)),
        )

    def _get_validation_exclusions(self):
        # The unique constraint on id_number is checked by the service, whose message names
        # the other household when the user may see it; Django's would only say "exists".
        return super()._get_validation_exclusions() | {"id_number"}


class BaseMemberFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def validate_unique(self):
        """Duplicates inside the household are reported per row by the service."""


MemberFormSet = inlineformset_factory(
    Household, Member, form=MemberForm, formset=BaseMemberFormSet, extra=0, can_delete=True
)
NewMemberFormSet = inlineformset_factory(
    Household, Member, form=MemberForm, formset=BaseMemberFormSet, extra=1, can_delete=True
)


def _row(*names, widths=None):
    widths = widths or (12 // max(len(names), 4),) * len(names)
    return Row(*(Column(name, css_class=f"col-md-{w}") for name, w in zip(names, widths, strict=True)))
