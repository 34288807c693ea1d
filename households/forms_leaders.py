"""Forms of the township leaders' pages: the household's leader in contact, a village trip, and
the township filter of the leaders table. The service does the domain checks."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .history import display_name
from .models import Village
from .queries import townships_visible_to
from .services.leaders import PURPOSE_MAX, post_label, recordable_leaders, township_leaders


class LeaderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{post_label(obj)} {display_name(obj)}"


class LinkLeaderForm(forms.Form):
    leader = LeaderChoiceField(
        label=_("township leader in contact"), queryset=None, required=False, empty_label=_("(nobody)")
    )
    reason = forms.CharField(label=_("reason"), max_length=100, required=False)

    def __init__(self, *args, township_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = township_leaders(township_id).select_related("profile")
        self.fields["leader"].error_messages["invalid_choice"] = _(
            "Only the Party secretary or the head of the household's own township can be chosen."
        )


class VillageTripForm(forms.Form):
    leader = LeaderChoiceField(label=_("township leader"), queryset=None, empty_label=None)
    # Plain YYYY-MM-DD text like the register's other dates: Chromium's date picker follows the
    # browser's locale and showed mm/dd/yyyy.
    date = forms.DateField(
        label=_("date of the trip"),
        widget=forms.DateInput(
            attrs={"placeholder": "YYYY-MM-DD", "inputmode": "numeric"}, format="%Y-%m-%d"
        ),
    )
    village = forms.ModelChoiceField(label=_("village"), queryset=None)
    purpose = forms.CharField(
        label=_("purpose and work done"),
        max_length=PURPOSE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Please write the purpose of the trip and the work done.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        leaders = recordable_leaders(user).select_related("profile")
        self.fields["leader"].queryset = leaders
        self.fields["leader"].error_messages["invalid_choice"] = _(
            "You may only record trips of your own township's leaders."
        )
        self.fields["village"].queryset = Village.objects.filter(
            township_id=user.profile.township_id
        ).order_by("code")
        self.fields["village"].error_messages["invalid_choice"] = _(
            "Choose a village of the leader's own township."
        )
        self.fields["date"].error_messages["required"] = _("Please give the date of the trip.")
        self.fields["village"].error_messages["required"] = _("Please choose the village visited.")
        if user.profile.leader_post:
            self.fields["leader"].initial = user.pk
        self.fields["date"].initial = timezone.localdate


class LeaderFilterForm(forms.Form):
    township = forms.ModelChoiceField(
        label=_("township"), queryset=None, required=False, empty_label=_("All")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships_visible_to(user).order_by("code")
        self.fields["township"].widget.attrs["class"] = "form-select form-select-sm"
