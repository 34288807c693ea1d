"""The project list's filters; they only narrow the scoped queryset they are given."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from households.models import Township
from povertycase.core import codes
from rectification.forms import parse_unit, unit_choices

from .models import Project, Status
from .progress import behind_q


def _select():
    return forms.Select(attrs={"class": "form-select form-select-sm"})


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_q",
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "placeholder": _("number or name")}
        ),
    )
    year = django_filters.NumberFilter(
        label=_("year"), widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"})
    )
    project_type = django_filters.ChoiceFilter(label=_("project type"), widget=_select())
    status = django_filters.ChoiceFilter(label=_("status"), choices=Status.choices, widget=_select())
    unit = django_filters.ChoiceFilter(label=_("implementing unit"), method="filter_unit", widget=_select())
    township = django_filters.ModelChoiceFilter(
        label=_("township"),
        queryset=Township.objects.order_by("code"),
        method="filter_township",
        widget=_select(),
    )
    behind = django_filters.BooleanFilter(
        label=_("behind schedule"),
        method="filter_behind",
        widget=forms.Select(
            attrs={"class": "form-select form-select-sm"}, choices=[("", "---------"), ("true", _("Yes"))]
        ),
    )

    class Meta:
        model = Project
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["project_type"].extra["choices"] = codes.choices("fund_project_type")
        self.filters["unit"].extra["choices"] = unit_choices()[1:]

    def filter_q(self, qs, name, value):
        value = value.strip()
        return qs.filter(Q(number__icontains=value) | Q(name__icontains=value)) if value else qs

    def filter_unit(self, qs, name, value):
        township, department = parse_unit(value)
        if township:
            return qs.filter(implementing_township=township)
        if department:
            return qs.filter(implementing_department=department)
        return qs

    def filter_township(self, qs, name, value):
        in_villages = Project.villages.through.objects.filter(village__township=value).values("project_id")
        return qs.filter(Q(implementing_township=value) | Q(pk__in=in_villages))

    def filter_behind(self, qs, name, value):
        return qs.filter(behind_q(timezone.localdate())) if value else qs
