"""Forms of the helper and visit pages; the services do the checking."""

from django import forms
from django.utils.translation import gettext_lazy as _

from povertycase.core import codes

from .history import display_name
from .services.helpers import helper_candidates


class VisitForm(forms.Form):
    date = forms.DateField(
        label=_("visit date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    kind = forms.ChoiceField(label=_("visit kind"))
    done = forms.CharField(label=_("what was done"), widget=forms.Textarea(attrs={"rows": 3}))
    problems = forms.CharField(
        label=_("problems found"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirmed_by = forms.CharField(label=_("confirmed by (household)"), max_length=50, required=False)
    attachment = forms.FileField(
        label=_("signature or photo"),
        required=False,
        help_text=_("Optional: JPG, PNG or PDF, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = codes.choices("visit_kind")


class HelperChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        department = user.profile.department
        return f"{display_name(user)}（{department.name if department else _('no department')}）"


class AssignHelperForm(forms.Form):
    helper = HelperChoiceField(label=_("helper"), queryset=None, required=False, empty_label=_("(nobody)"))
    reason = forms.CharField(label=_("reason"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["helper"].queryset = helper_candidates()
