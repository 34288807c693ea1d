"""Forms of the monitoring pages; field names are the services' keyword arguments, the
services do the checking."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from povertycase.core import codes
from povertycase.core.params import id_or_none

from .models import Department, MonitoringCase
from .models.monitoring import MONITORED_STATES, CaseState
from .queries import townships_visible_to, villages_visible_to
from .services.monitoring import ASSESSING_STATES, DECISION_OUTCOMES, NATURAL_REASONS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ALL = _("All")
# Pseudo states of the filter: several states at once.
STATE_GROUPS = {"monitored": MONITORED_STATES, "assessing": ASSESSING_STATES}
STATE_CHOICES = [
    ("monitored", _("Monitored now (risk not eliminated or in elimination notice)")),
    ("assessing", _("Being assessed (clue to township review)")),
    *CaseState.choices,
]


def _date_field(label):
    return forms.DateField(label=label, widget=DATE_WIDGET)


def _attachment_field():
    return forms.FileField(
        label=_("evidence"),
        required=False,
        help_text=_("Optional: JPG, PNG or PDF, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
    )


def _risk_field(required=True):
    return forms.MultipleChoiceField(
        label=_("risks"),
        required=required,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One to five risks."),
    )


class ClueForm(forms.Form):
    channel = forms.ChoiceField(label=_("discovery channel"))
    clue_date = _date_field(_("clue date"))
    reporter = forms.CharField(label=_("reported by"), max_length=50, required=False)
    text = forms.CharField(label=_("clue"), widget=forms.Textarea(attrs={"rows": 3}))
    attachment = _attachment_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = codes.choices("monitor_channel")


class StepForm(forms.Form):
    """Date, note and evidence: the steps that change nothing else."""

    date = _date_field(_("date"))
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    attachment = _attachment_field()


class NoticeForm(forms.Form):
    notice_start = _date_field(_("village notice from"))
    notice_end = _date_field(_("village notice until"))
    note = StepForm.base_fields["note"]
    attachment = _attachment_field()


class DecisionForm(StepForm):
    outcome = forms.ChoiceField(label=_("decision"))
    category = forms.ChoiceField(label=_("monitored category"), required=False)
    risks = _risk_field(required=False)
    risk_note = forms.CharField(label=_("note on the risk"), max_length=200, required=False)
    out_of_pocket_expense = forms.DecimalField(
        label=_("compliant out-of-pocket expenses (yuan)"), max_digits=12, decimal_places=2, required=False
    )
    field_order = ["date", "outcome", "category", "risks", "risk_note", "out_of_pocket_expense", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(CaseState.choices)
        self.fields["outcome"].choices = [(o.value, labels[o]) for o in DECISION_OUTCOMES]
        self.fields["category"].choices = [("", "—")] + codes.choices("monitor_category")
        self.fields["risks"].choices = codes.choices("monitor_risk")


class HelpForm(StepForm):
    help_given = forms.CharField(label=_("help given"), widget=forms.Textarea(attrs={"rows": 2}))
    responsible_department = forms.ModelChoiceField(label=_("lead unit"), queryset=Department.objects.all())
    responsible_person = forms.CharField(label=_("responsible person"), max_length=50)
    field_order = ["date", "help_given", "responsible_department", "responsible_person", "note"]


class EliminationForm(StepForm):
    post_income_per_capita = forms.DecimalField(
        label=_("per-capita income after elimination"), max_digits=12, decimal_places=2
    )
    post_guarantees_secure = forms.TypedChoiceField(
        label=_("三保障 and water secure after elimination"),
        choices=[("1", _("Yes")), ("0", _("No"))],
        coerce=lambda value: value == "1",
    )
    contact_name = forms.CharField(label=_("monitoring contact"), max_length=50)
    contact_phone = forms.CharField(label=_("monitoring contact phone"), max_length=20)
    field_order = [
        "date",
        "post_income_per_capita",
        "post_guarantees_secure",
        "contact_name",
        "contact_phone",
        "note",
    ]


class NaturalForm(StepForm):
    reason = forms.ChoiceField(label=_("reason"), choices=list(NATURAL_REASONS.items()))
    field_order = ["date", "reason", "note"]


class ReopenForm(StepForm):
    risks = _risk_field()
    risk_note = forms.CharField(label=_("note on the risk"), max_length=200, required=False)
    field_order = ["date", "risks", "risk_note", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["risks"].choices = codes.choices("monitor_risk")


class MonitoringCaseFilter(django_filters.FilterSet):
    township = django_filters.ModelChoiceFilter(
        label=_("township"),
        field_name="household__village__township",
        queryset=lambda request: townships_visible_to(request.user).order_by("code"),
        empty_label=ALL,
    )
    village = django_filters.ModelChoiceFilter(
        label=_("village"),
        field_name="household__village",
        queryset=lambda request: villages_visible_to(request.user).order_by("code"),
        empty_label=ALL,
    )
    category = django_filters.ChoiceFilter(
        label=_("monitored category"), choices=lambda: codes.choices("monitor_category"), empty_label=ALL
    )
    state = django_filters.ChoiceFilter(
        label=_("state"), choices=STATE_CHOICES, method="filter_state", empty_label=ALL
    )
    channel = django_filters.ChoiceFilter(
        label=_("discovery channel"), choices=lambda: codes.choices("monitor_channel"), empty_label=ALL
    )
    risk = django_filters.ChoiceFilter(
        label=_("risk"), choices=lambda: codes.choices("monitor_risk"), method="filter_risk", empty_label=ALL
    )

    class Meta:
        model = MonitoringCase
        fields = ["township", "village", "category", "state", "channel", "risk"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"
        township = id_or_none((self.data or {}).get("township"))
        if township is not None:
            village = self.form.fields["village"]
            village.queryset = village.queryset.filter(township_id=township)

    def filter_state(self, queryset, name, value):
        return queryset.filter(state__in=STATE_GROUPS.get(value, (value,)))

    def filter_risk(self, queryset, name, value):
        return queryset.filter(risks__contains=f";{value};")
