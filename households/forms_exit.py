"""Forms of the exit pages: one form per step (its own fields), signature, milestones, filters.

The forms only parse; `households.services.exit` decides what is allowed.
"""

import copy

from django import forms
from django.utils.translation import gettext_lazy as _

from .exit_queries import DEFAULT_MILESTONES, LEVEL_LABELS, STEP_FILTER_CHOICES
from .models import ExitStepNumber
from .queries import townships_visible_to, villages_visible_to

DATE_WIDGET = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
OUTCOMES = {
    ExitStepNumber.APPRAISAL: (_("appraisal result"), _("approved"), _("rejected")),
    ExitStepNumber.CROSS_CHECK: (_("cross-check result"), _("no problem found"), _("problem found")),
    ExitStepNumber.APPROVAL: (_("approval result"), _("approved"), _("not approved")),
}
# Per step: (name, field) kept in ExitStep.details.
DETAIL_FIELDS = {
    ExitStepNumber.CHECK: (
        ("members_verified", forms.BooleanField(label=_("members verified one by one"), required=False)),
    ),
    ExitStepNumber.APPRAISAL: (
        ("attendance", forms.IntegerField(label=_("attendance"), min_value=0, required=False)),
        ("votes_for", forms.IntegerField(label=_("votes for"), min_value=0, required=False)),
        ("votes_against", forms.IntegerField(label=_("votes against"), min_value=0, required=False)),
    ),
    ExitStepNumber.CROSS_CHECK: (("checkers", forms.CharField(label=_("checking team"), max_length=100)),),
    ExitStepNumber.TOWNSHIP_REVIEW: (("reviewer", forms.CharField(label=_("reviewer"), max_length=50)),),
    ExitStepNumber.NOTICE: (
        ("place", forms.CharField(label=_("place of the notice"), max_length=100)),
        ("objections", forms.CharField(label=_("objections and handling"), max_length=300, required=False)),
        (
            "objection_open",
            forms.BooleanField(label=_("an objection is still being handled"), required=False),
        ),
    ),
    ExitStepNumber.APPROVAL: (
        ("document_number", forms.CharField(label=_("document number"), max_length=50, required=False)),
    ),
    ExitStepNumber.FILING: (
        ("archive_ref", forms.CharField(label=_("archive reference"), max_length=50, required=False)),
    ),
}


class ExitStepForm(forms.Form):
    date = forms.DateField(label=_("date"), **DATE_WIDGET)
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    attachment = forms.FileField(
        label=_("attachment"),
        required=False,
        help_text=_("Optional: JPG, PNG or PDF, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
    )

    def __init__(self, *args, number: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.number = number
        if number in OUTCOMES:
            label, yes, no = OUTCOMES[number]
            self.fields["passed"] = forms.TypedChoiceField(
                label=label,
                choices=[("1", yes), ("0", no)],
                coerce=lambda value: value == "1",
                initial="1",
                widget=forms.RadioSelect,
            )
        if number == ExitStepNumber.NOTICE:
            self.fields["end_date"] = forms.DateField(
                label=_("last day of the notice"), required=False, **DATE_WIDGET
            )
        for name, field in DETAIL_FIELDS.get(number, ()):
            self.fields[name] = copy.deepcopy(field)
        self.order_fields(["date", "end_date", "passed", *self._detail_names(), "note", "attachment"])

    def _detail_names(self) -> list[str]:
        return [name for name, _field in DETAIL_FIELDS.get(self.number, ())]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        details = {name: data[name] for name in self._detail_names() if data.get(name) not in (None, "")}
        return {
            "date": data["date"],
            "note": data.get("note", ""),
            "attachment": data.get("attachment"),
            "passed": data.get("passed", True),
            "end_date": data.get("end_date"),
            "details": details,
        }


class SignatureForm(forms.Form):
    signed = forms.TypedChoiceField(
        label=_("the household"),
        choices=[("1", _("signed its recognition")), ("0", _("refused to sign"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    signature_note = forms.CharField(label=_("note or reason for refusal"), max_length=200, required=False)


class ResolveForm(forms.Form):
    note = forms.CharField(label=_("how the problem was resolved"), widget=forms.Textarea(attrs={"rows": 2}))


class MilestoneForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        steps = dict(ExitStepNumber.choices)
        for level, step, _month, _day in DEFAULT_MILESTONES:
            self.fields[level] = forms.DateField(
                label=LEVEL_LABELS[level],
                help_text=_("steps 1 to %(number)s (%(label)s) done")
                % {"number": int(step), "label": steps[step]},
                **DATE_WIDGET,
            )


class ExitFilterForm(forms.Form):
    year = forms.IntegerField(label=_("year"), required=False, min_value=2014, max_value=2100)
    township = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Township"), empty_label=_("All")
    )
    village = forms.ModelChoiceField(queryset=None, required=False, label=_("Village"), empty_label=_("All"))
    step = forms.ChoiceField(required=False, label=_("step reached"))
    overdue = forms.BooleanField(required=False, label=_("overdue only"))

    def __init__(self, data, *, user, year: int):
        super().__init__(data, initial={"year": year})
        self.fields["township"].queryset = townships_visible_to(user).order_by("code")
        self.fields["village"].queryset = villages_visible_to(user).order_by("code")
        self.fields["step"].choices = [("", _("All"))] + STEP_FILTER_CHOICES
        for name, field in self.fields.items():
            css = (
                "form-check-input"
                if name == "overdue"
                else ("form-control form-control-sm" if name == "year" else "form-select form-select-sm")
            )
            field.widget.attrs["class"] = css
