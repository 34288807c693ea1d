"""The ledger list's filters; they only narrow the scoped queryset they are given."""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from povertycase.core import codes

from .forms import unit_choices
from .models import Category, Item, Kind, Status

SORTS = {
    "number": "number",
    "deadline": "deadline",
    "status": "status",
    "updated": "-updated_at",
}


def _select(**attrs):
    return forms.Select(attrs={"class": "form-select form-select-sm", **attrs})


class ItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_q",
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "placeholder": _("number or text")}
        ),
    )
    unit = django_filters.ChoiceFilter(label=_("responsible unit"), method="filter_unit", widget=_select())
    category = django_filters.ModelChoiceFilter(
        label=_("category"),
        queryset=Category.objects.filter(parent__isnull=True),
        method="filter_category",
        widget=_select(),
    )
    source = django_filters.ChoiceFilter(label=_("source"), widget=_select())
    status = django_filters.ChoiceFilter(label=_("status"), choices=Status.choices, widget=_select())
    kind = django_filters.ChoiceFilter(label=_("rectification type"), choices=Kind.choices, widget=_select())
    due = django_filters.ChoiceFilter(
        label=_("deadline"),
        method="filter_due",
        choices=[("overdue", _("Overdue")), ("week", _("Due this week")), ("soon", _("Due within 3 days"))],
        widget=_select(),
    )

    class Meta:
        model = Item
        fields = []

    def __init__(self, *args, unit_options=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit_options = unit_options or unit_choices()
        self.filters["unit"].extra["choices"] = self.unit_options[1:]
        self.filters["source"].extra["choices"] = codes.choices("rect_source")

    @property
    def qs(self):
        sort = SORTS.get(self.data.get("sort", ""), "number")
        return super().qs.order_by(sort, "pk")

    def filter_q(self, qs, name, value):
        return qs.filter(Q(number__icontains=value) | Q(description__icontains=value))

    def filter_unit(self, qs, name, value):
        kind, _sep, pk = value.partition(":")
        return qs.filter(**{"responsible_township_id" if kind == "t" else "responsible_department_id": pk})

    def filter_category(self, qs, name, value):
        return qs.filter(Q(category=value) | Q(category__parent=value))

    def filter_due(self, qs, name, value):
        today = timezone.localdate()
        if value == "overdue":
            return qs.overdue(today)
        if value == "soon":
            return qs.due_between(today, today + datetime.timedelta(days=3))
        monday = today - datetime.timedelta(days=today.weekday())
        return qs.due_between(max(today, monday), monday + datetime.timedelta(days=6))
