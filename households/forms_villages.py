"""The village list's filter bar and the indicators form; the service does the checking."""

import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .checks.villages import INDICATOR_FIELDS
from .models import Village, VillageIndicators
from .queries import townships_visible_to

ALL = _("All")
MAX_COUNT = 10_000_000
YES_NO = (("yes", _("Yes")), ("no", _("No")))
FILLED = (
    ("complete", _("complete")),
    ("incomplete", _("incomplete")),
    ("missing", _("not recorded")),
)
SECTIONS = (
    (_("Population and economy"), ("total_households", "total_population", "collective_income", "land_area")),
    (
        _("Infrastructure and public services"),
        (
            "hardened_road",
            "bus_service",
            "primary_schools",
            "clinics",
            "doctors",
            "cultural_rooms",
            "public_toilets",
            "garbage_points",
        ),
    ),
    (
        _("Social security"),
        ("pension_insured", "dibao_households", "dibao_persons", "tekun_persons", "disabled_persons"),
    ),
    (_("Water and housing"), ("households_without_water", "households_in_danger_housing")),
)


def empty_indicator_q() -> Q:
    """A village whose indicators record has at least one empty indicator."""
    q = Q()
    for name in INDICATOR_FIELDS:
        q |= Q(**{f"indicators__{name}__isnull": True})
    return Q(indicators__isnull=False) & q


class VillageFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), field_name="name", lookup_expr="contains")
    township = django_filters.ModelChoiceFilter(
        label=_("township"), queryset=lambda request: townships_visible_to(request.user), empty_label=ALL
    )
    is_poor = django_filters.ChoiceFilter(
        label=_("poverty village"), choices=YES_NO, method="filter_is_poor", empty_label=ALL
    )
    exited = django_filters.ChoiceFilter(
        label=_("Exited (village)"), choices=YES_NO, method="filter_exited", empty_label=ALL
    )
    filled = django_filters.ChoiceFilter(
        label=_("indicators"), choices=FILLED, method="filter_filled", empty_label=ALL
    )

    class Meta:
        model = Village
        fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["q"].widget.attrs["placeholder"] = _("Village name")
        for field in self.form.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)

    def filter_is_poor(self, queryset, name, value):
        return queryset.filter(is_poor=value == "yes")

    def filter_exited(self, queryset, name, value):
        return queryset.filter(exit_year__isnull=value != "yes")

    def filter_filled(self, queryset, name, value):
        if value == "missing":
            return queryset.filter(indicators__isnull=True)
        if value == "incomplete":
            return queryset.filter(empty_indicator_q())
        return queryset.filter(indicators__isnull=False).exclude(empty_indicator_q())


def _form_field(model_field) -> forms.Field:
    label = model_field.verbose_name
    if isinstance(model_field, models.BooleanField):
        return forms.NullBooleanField(label=label, required=False)
    if isinstance(model_field, models.DecimalField):
        return forms.DecimalField(
            label=label,
            required=False,
            max_digits=model_field.max_digits,
            decimal_places=model_field.decimal_places,
        )
    return forms.IntegerField(label=label, required=False, max_value=MAX_COUNT)


class VillageIndicatorsForm(forms.Form):
    """Every indicator may be left empty while unknown; VL-001 reports the gaps of exited villages."""

    reason = forms.CharField(label=_("reason"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in INDICATOR_FIELDS:
            self.fields[name] = _form_field(VillageIndicators._meta.get_field(name))
        self.fields["reason"].help_text = _("Optional: why the indicators changed (kept in the history).")
        self.order_fields([*INDICATOR_FIELDS, "reason"])
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            *(
                Fieldset(title, Row(*(Column(name, css_class="col-sm-6 col-lg-3") for name in names)))
                for title, names in SECTIONS
            ),
            "reason",
        )

    @staticmethod
    def initial_from(record: VillageIndicators | None) -> dict:
        return {name: getattr(record, name) for name in INDICATOR_FIELDS} if record else {}
