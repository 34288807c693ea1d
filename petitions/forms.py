"""Forms of the petition pages; they parse and check shapes, the services decide."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from households.queries import households_visible_to
from povertycase.core import codes
from rectification.forms import MultipleFileField, parse_unit, unit_choices
from rectification.models import Category

from .models import CareForm, Dependency, Satisfaction

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def find_households(user, text: str):
    """Households in the user's scope matching each line (number, ID number or head's name)."""
    found, errors = [], []
    scope = households_visible_to(user)
    for line in [t.strip() for t in (text or "").replace("，", "\n").replace(",", "\n").splitlines()]:
        if not line:
            continue
        matches = list(
            scope.filter(Q(number=line) | Q(members__id_number=line.upper()) | Q(head_name=line)).distinct()[
                :2
            ]
        )
        if not matches:
            errors.append(_("No household in your area matches “%s”.") % line)
        elif len(matches) > 1:
            errors.append(_("Several households match “%s”; use the household number.") % line)
        elif matches[0] not in found:
            found.append(matches[0])
    return found, errors


class PetitionForm(forms.Form):
    channel = forms.ChoiceField(label=_("channel"))
    date = forms.DateField(label=_("date received"), widget=DATE, initial=timezone.localdate)
    anonymous = forms.BooleanField(label=_("anonymous"), required=False)
    complainant_name = forms.CharField(label=_("complainant"), max_length=50, required=False)
    complainant_phone = forms.CharField(label=_("complainant's phone"), max_length=20, required=False)
    households = forms.CharField(
        label=_("households concerned"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: household number, ID number or head's name, within your area."),
    )
    category = forms.ModelChoiceField(
        label=_("category"), queryset=Category.objects.select_related("parent").filter(parent__isnull=False)
    )
    content = forms.CharField(label=_("content"), widget=forms.Textarea(attrs={"rows": 4}))
    unit = forms.ChoiceField(label=_("handling unit"), required=False)
    files = MultipleFileField(label=_("attachments"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["channel"].choices = [("", "---------"), *codes.choices("petition_channel")]
        self.fields["unit"].choices = unit_choices(empty_label=_("Own unit (or the command office)"))
        self.fields["category"].label_from_instance = lambda c: f"{c.code} {c.full_name}"
        self.found_households = []

    def clean_households(self):
        found, errors = find_households(self.user, self.cleaned_data.get("households"))
        if errors:
            raise forms.ValidationError(errors)
        self.found_households = found
        return self.cleaned_data["households"]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["handling_township"], data["handling_department"] = parse_unit(data.pop("unit", ""))
        data.pop("households", None)
        data.pop("files", None)
        return data


class TransferForm(forms.Form):
    unit = forms.ChoiceField(label=_("transfer to"))
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices()


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("reason for returning"), widget=forms.Textarea(attrs={"rows": 2}))


class ReplyForm(forms.Form):
    date = forms.DateField(label=_("reply date"), widget=DATE, initial=timezone.localdate)
    reply = forms.CharField(label=_("reply"), widget=forms.Textarea(attrs={"rows": 3}))


class RevisitForm(forms.Form):
    date = forms.DateField(label=_("revisit date"), widget=DATE, initial=timezone.localdate)
    satisfaction = forms.ChoiceField(
        label=_("satisfaction"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    result = forms.CharField(label=_("result"), widget=forms.Textarea(attrs={"rows": 2}))
    escalate = forms.BooleanField(label=_("If dissatisfied, escalate to the command office"), required=False)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


ACTION_FORMS = {
    "accept": None,
    "transfer": TransferForm,
    "return": ReturnForm,
    "reply": ReplyForm,
    "revisit": RevisitForm,
    "close": CloseForm,
    "to_ledger": None,
}


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("campaign name"), max_length=100)
    period_from = forms.DateField(label=_("petitions from"), widget=DATE)
    period_to = forms.DateField(label=_("petitions until"), widget=DATE)
    category = forms.ModelChoiceField(
        label=_("category"), queryset=Category.objects.filter(parent__isnull=True), required=False
    )
    township = forms.ModelChoiceField(label=_("township"), queryset=None, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from households.models import Township

        self.fields["township"].queryset = Township.objects.order_by("code")


class CampaignAssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("assigned to"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from rectification.forms import responsible_people

        self.fields["assignee"].queryset = responsible_people()
        self.fields["assignee"].label_from_instance = lambda u: (
            (f"{u.last_name}{u.first_name or ''}" or u.username) + f"（{u.profile.scope_label}）"
        )


class CampaignRevisitForm(forms.Form):
    date = forms.DateField(label=_("revisit date"), widget=DATE, initial=timezone.localdate)
    satisfaction = forms.ChoiceField(label=_("satisfaction"), choices=Satisfaction.choices)
    result = forms.CharField(label=_("result"), max_length=500)


class PolicyForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2016, max_value=2100)
    insurer = forms.CharField(label=_("insurer"), max_length=100)
    premium = forms.DecimalField(label=_("premium per household (元)"), max_digits=10, decimal_places=2)
    payer = forms.ChoiceField(label=_("paid by"))
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payer"].choices = codes.choices("insurance_payer")


class EnrollForm(forms.Form):
    households = forms.CharField(
        label=_("households to add"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: household number, ID number or head's name, within your area."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.found_households = []

    def clean_households(self):
        found, errors = find_households(self.user, self.cleaned_data.get("households"))
        if errors:
            raise forms.ValidationError(errors)
        self.found_households = found
        return self.cleaned_data["households"]


class ClaimForm(forms.Form):
    enrollment = forms.ModelChoiceField(label=_("enrolled household"), queryset=None)
    cause = forms.ChoiceField(label=_("cause"))
    amount = forms.DecimalField(label=_("amount (元)"), max_digits=12, decimal_places=2)
    paid_on = forms.DateField(label=_("date paid"), widget=DATE, required=False)
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, policy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrollment"].queryset = policy.enrollments.select_related("household")
        self.fields["enrollment"].label_from_instance = lambda e: (
            f"{e.household.number} {e.household.head_name}"
        )
        self.fields["cause"].choices = codes.choices("insurance_claim_cause")


class CareEditForm(forms.Form):
    dependency = forms.ChoiceField(label=_("self-care ability"), choices=Dependency.choices)
    form = forms.ChoiceField(label=_("care form"), choices=CareForm.choices)
    institution = forms.CharField(label=_("care home or turnover house"), max_length=100, required=False)
    carer = forms.CharField(label=_("carer under agreement"), max_length=50, required=False)
    agreement_date = forms.DateField(label=_("agreement date"), widget=DATE, required=False)
    agreement_file = forms.FileField(label=_("agreement file"), required=False)
