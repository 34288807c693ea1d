"""The petition list's filters; they only narrow the scoped queryset they are given."""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from households.models import Township
from povertycase.core import codes
from rectification.models import Category

from .models import OPEN_STATES, Satisfaction, State


def _select():
    return forms.Select(attrs={"class": "form-select form-select-sm"})


def _date():
    return forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"})


class PetitionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_q",
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "placeholder": _("number or text")}
        ),
    )
    channel = django_filters.ChoiceFilter(label=_("channel"), widget=_select())
    category = django_filters.ModelChoiceFilter(
        label=_("category"),
        queryset=Category.objects.filter(parent__isnull=True),
        method="filter_category",
        widget=_select(),
    )
    township = django_filters.ModelChoiceFilter(
        label=_("township concerned"), queryset=Township.objects.order_by("code"), widget=_select()
    )
    state = django_filters.ChoiceFilter(label=_("state"), choices=State.choices, widget=_select())
    satisfaction = django_filters.ChoiceFilter(
        label=_("satisfaction"), choices=Satisfaction.choices, widget=_select()
    )
    due = django_filters.ChoiceFilter(
        label=_("handling deadline"),
        method="filter_due",
        choices=[("overdue", _("Overdue")), ("soon", _("Due within 3 days"))],
        widget=_select(),
    )
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=_("received from"), widget=_date()
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label=_("received until"), widget=_date()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["channel"].extra["choices"] = codes.choices("petition_channel")

    def filter_q(self, qs, name, value):
        value = value.strip()
        return qs.filter(Q(number__icontains=value) | Q(content__icontains=value)) if value else qs

    def filter_category(self, qs, name, value):
        return qs.filter(Q(category=value) | Q(category__parent=value))

    def filter_due(self, qs, name, value):
        today = timezone.localdate()
        if value == "overdue":
            return qs.filter(state__in=OPEN_STATES, deadline__lt=today)
        if value == "soon":
            return qs.filter(
                state__in=OPEN_STATES, deadline__gte=today, deadline__lte=today + datetime.timedelta(days=3)
            )
        return qs
