"""The living-conditions form: parses and lays out; households.services.conditions checks the values."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .codefields import CONDITIONS_CODE_FIELDS
from .forms import YesNoSelect, _use_code_lists
from .models import LivingConditions, Village
from .queries import villages_visible_to
from .services.conditions import CONDITIONS_FIELDS, REQUIRED_FIELDS, conditions_problems, required_message


class LivingConditionsForm(forms.ModelForm):
    change_reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=100,
        help_text=_("Kept in the household's change history."),
    )

    class Meta:
        model = LivingConditions
        fields = CONDITIONS_FIELDS
        widgets = {"relocated_on": forms.DateInput(attrs={"placeholder": "YYYY-MM-DD"}, format="%Y-%m-%d")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _use_code_lists(self, CONDITIONS_CODE_FIELDS)
        for name in ("sanitary_toilet", "is_relocated"):
            self.fields[name].widget = YesNoSelect()
        for name in REQUIRED_FIELDS:
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = required_message(name)
        self._limit_villages(user)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                _("Land and housing"),
                _row("housing_area", "forest_area", "pasture_area"),
                _row("water_surface_area", "returned_forest_area", "orchard_area"),
            ),
            Fieldset(
                _("Road, sanitation and fuel"),
                _row("road_type", "road_distance_km", "sanitary_toilet", "main_fuel"),
            ),
            Fieldset(
                _("Relocation (易地扶贫搬迁)"),
                _row("is_relocated", "relocation_mode", "relocated_on"),
                _row("relocation_village", "relocation_group", "relocation_place"),
            ),
            "change_reason",
        )

    def _limit_villages(self, user) -> None:
        """Villages the user may see, plus the one already recorded (set by a county-wide cadre)."""
        field = self.fields["relocation_village"]
        allowed = Q(pk__in=villages_visible_to(user).values("pk"))
        if self.instance.relocation_village_id:
            allowed |= Q(pk=self.instance.relocation_village_id)
        field.queryset = (
            Village.objects.filter(allowed).select_related("township").order_by("township__code", "code")
        )
        field.label_from_instance = lambda v: f"{v.township.name} · {v.name}"

    def clean(self):
        """Every problem at once: the service's checks on the fields that parsed."""
        cleaned = super().clean()
        data = {name: cleaned.get(name) for name in CONDITIONS_FIELDS}
        for name, texts in conditions_problems(data, today=timezone.localdate()).errors.items():
            if name not in self.errors:
                for text in texts:
                    self.add_error(name, text)
        return cleaned

    def data_for_save(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in CONDITIONS_FIELDS}


def _row(*names):
    return Row(*(Column(name, css_class="col-md") for name in names))
