"""The register list's filter bar; it only ever narrows the scoped queryset it is given."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from povertycase.core import codes
from povertycase.core.params import id_or_none

from .models import Member
from .queries import townships_visible_to, villages_visible_to

PAGE_SIZES = (25, 50, 100)
ALL = _("All")
SORTS = {
    "number": ("number",),
    "head": ("head_name", "number"),
    "village": ("village__township__code", "village__code", "number"),
    "attribute": ("attribute", "number"),
    "status": ("exit_status", "number"),
    "identified": ("identified_month", "number"),
}


def _code_choices(list_name):
    return lambda: codes.choices(list_name)


class HouseholdFilter(django_filters.FilterSet):
    # Applied last, in filter_queryset, so the member search only looks inside the
    # households the other filters kept (a county has ~4 members per household).
    q = django_filters.CharFilter(label=_("Search"), method="filter_later")
    township = django_filters.ModelChoiceFilter(
        label=_("township"),
        field_name="village__township",
        queryset=lambda request: townships_visible_to(request.user),
        empty_label=ALL,
    )
    village = django_filters.ModelChoiceFilter(
        label=_("village"), queryset=lambda request: villages_visible_to(request.user), empty_label=ALL
    )
    attribute = django_filters.ChoiceFilter(
        label=_("household attribute"), choices=_code_choices("attribute")
    )
    exit_status = django_filters.ChoiceFilter(
        label=_("exit status"), choices=_code_choices("exit_status"), empty_label=ALL
    )
    cause = django_filters.ChoiceFilter(
        label=_("cause of poverty"),
        choices=_code_choices("poverty_cause"),
        method="filter_cause",
        empty_label=ALL,
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort"),
        choices=[(k, k) for k in SORTS] + [(f"-{k}", f"-{k}") for k in SORTS],
        method="filter_sort",
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["q"].widget.attrs["placeholder"] = _("Head, member, ID number or household number")
        for field in self.form.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)
        self._narrow_villages_to_township()

    def _narrow_villages_to_township(self):
        township = id_or_none((self.data or {}).get("township"))
        if township is not None:
            field = self.form.fields["village"]
            field.queryset = field.queryset.filter(township_id=township)

    @property
    def qs(self):
        qs = super().qs
        sorted_by_user = getattr(self.form, "cleaned_data", {}).get("sort")
        return qs if sorted_by_user else qs.order_by(*SORTS["number"])

    def filter_queryset(self, queryset):
        return self.search(super().filter_queryset(queryset), self.form.cleaned_data.get("q") or "")

    def filter_later(self, queryset, name, value):
        return queryset

    @staticmethod
    def search(queryset, value: str):
        value = value.strip()
        if not value:
            return queryset
        candidates = queryset.order_by().values("pk")
        members = Member.objects.filter(household__in=candidates).filter(
            Q(name__contains=value) | Q(id_number__contains=value.upper())
        )
        return queryset.filter(
            Q(number__contains=value)
            | Q(head_name__contains=value)
            | Q(pk__in=members.values("household_id"))
        )

    def filter_cause(self, queryset, name, value):
        return queryset.filter(Q(main_cause=value) | Q(other_causes__contains=f";{value};"))

    def filter_sort(self, queryset, name, value):
        descending = value.startswith("-")
        fields = SORTS[value.lstrip("-")]
        return queryset.order_by(*(f"-{f}" if descending else f for f in fields))
