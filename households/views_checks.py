"""Logic-check pages: the violations list with counts per village, acknowledgement, export,
and the command office's rule switches. Every query goes through households_visible_to."""

import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Max, Min, Q, QuerySet
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import pgettext_lazy

from povertycase.core.exports import logged_xlsx_response
from povertycase.core.params import local_path
from povertycase.errors import DomainError
from povertycase.excel import Column, SheetWriter

from . import rules as permissions
from .checks.registry import all_rules, get_rule
from .checks.service import violation_acknowledge
from .checks.settings import effective_settings
from .models import RuleSetting, Severity, Violation
from .queries import households_visible_to, townships_visible_to, villages_visible_to

PAGE_SIZE = 50
VILLAGE_PAGE_SIZE = 20
STATUSES = (
    ("open", pgettext_lazy("violation status", "Open")),
    ("unacknowledged", _lazy("Open, not acknowledged")),
    ("acknowledged", _lazy("Acknowledged")),
    ("resolved", _lazy("Resolved")),
    ("all", _lazy("All")),
)


def violations_visible_to(user) -> QuerySet[Violation]:
    return Violation.objects.filter(household__in=households_visible_to(user).values("pk"))


class ViolationFilterForm(forms.Form):
    township = forms.ModelChoiceField(queryset=None, required=False, label=_lazy("Township"))
    village = forms.ModelChoiceField(queryset=None, required=False, label=_lazy("Village"))
    rule = forms.ChoiceField(required=False, label=_lazy("Rule"))
    severity = forms.ChoiceField(required=False, label=_lazy("Severity"))
    status = forms.ChoiceField(required=False, label=_lazy("Status"), choices=STATUSES)

    def __init__(self, data, *, user):
        super().__init__(data)
        self.fields["township"].queryset = townships_visible_to(user).order_by("code")
        self.fields["village"].queryset = villages_visible_to(user).order_by("code")
        rule_choices = [(r.id, f"{r.id} {r.title}") for r in all_rules()]
        self.fields["rule"].choices = [("", _("All rules")), *rule_choices]
        self.fields["severity"].choices = [("", _("All"))] + list(Severity.choices)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def filter(self, qs: QuerySet) -> QuerySet:
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("township"):
            qs = qs.filter(household__village__township=data["township"])
        if data.get("village"):
            qs = qs.filter(household__village=data["village"])
        if data.get("rule"):
            qs = qs.filter(rule_id=data["rule"])
        if data.get("severity"):
            qs = qs.filter(severity=data["severity"])
        status = data.get("status") or "open"
        if status == "open":
            qs = qs.filter(resolved_at__isnull=True)
        elif status == "unacknowledged":
            qs = qs.filter(resolved_at__isnull=True, acknowledged_at__isnull=True)
        elif status == "acknowledged":
            qs = qs.filter(acknowledged_at__isnull=False)
        elif status == "resolved":
            qs = qs.filter(resolved_at__isnull=False)
        return qs


def _filtered(request) -> tuple[ViolationFilterForm, QuerySet]:
    form = ViolationFilterForm(request.GET or None, user=request.user)
    return form, form.filter(violations_visible_to(request.user))


def village_counts(qs: QuerySet) -> QuerySet:
    """Exact counts per village of the filtered violations, most first."""
    return (
        qs.order_by()
        .values("household__village_id", "household__village__name", "household__village__township__name")
        .annotate(
            total=Count("pk"),
            errors=Count("pk", filter=Q(severity=Severity.ERROR)),
            warnings=Count("pk", filter=Q(severity=Severity.WARNING)),
            households=Count("household", distinct=True),
        )
        .order_by("-total", "household__village__name")
    )


@login_required
def violation_list(request):
    form, qs = _filtered(request)
    rows = qs.select_related("household__village__township", "member", "acknowledged_by").order_by(
        "severity", "household__village__code", "household__number", "rule_id", "member_id"
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    villages = Paginator(village_counts(qs), VILLAGE_PAGE_SIZE).get_page(request.GET.get("vpage"))
    titles = {r.id: r.title for r in all_rules()}
    for violation in page:
        title = str(titles.get(violation.rule_id, ""))
        violation.title = "" if title in violation.message else title
    context = {
        "form": form,
        "as_of": qs.order_by().aggregate(first=Min("as_of"), last=Max("as_of")),
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number),
        "villages": villages,
        "can_acknowledge": permissions.can_edit_register(request.user),
        "can_manage": permissions.can_manage_county(request.user),
    }
    return render(request, "households/violation_list.html", context)


class AcknowledgeForm(forms.Form):
    reason = forms.CharField(
        label=_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=True,
        error_messages={"required": _lazy("Please write the reason for acknowledging this violation.")},
    )


@login_required
def violation_acknowledge_view(request, pk):
    violation = get_object_or_404(
        violations_visible_to(request.user).select_related("household__village__township", "member"), pk=pk
    )
    if not permissions.can_edit_register(request.user):
        raise PermissionDenied
    form = AcknowledgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            violation_acknowledge(violation=violation, user=request.user, reason=form.cleaned_data["reason"])
        except DomainError as refusal:
            form.add_error("reason", refusal.message)
        else:
            messages.success(request, _("Violation acknowledged."))
            return redirect(
                local_path(request, request.POST.get("next"), default=reverse("households:violation_list"))
            )
    rule = get_rule(violation.rule_id)
    trail = violation.history.select_related("history_user").filter(acknowledged_at__isnull=False)
    context = {
        "violation": violation,
        "rule": rule,
        "form": form,
        "trail": trail,
        "next": local_path(request, request.GET.get("next"), default=""),
    }
    return render(request, "households/violation_acknowledge.html", context)


EXPORT_COLUMNS = [
    Column(_lazy("Township"), 12),
    Column(_lazy("Village"), 12),
    Column(_lazy("Household number"), 20),
    Column(_lazy("Head of household"), 10),
    Column(_lazy("Member"), 10),
    Column(_lazy("Rule"), 9),
    Column(_lazy("Severity"), 8),
    Column(_lazy("Message"), 60),
    Column(_lazy("First seen"), 18, "datetime"),
    Column(_lazy("Resolved"), 18, "datetime"),
    Column(_lazy("Acknowledged"), 18, "datetime"),
    Column(_lazy("Reason"), 30),
]


@login_required
def violation_export(request):
    _form, qs = _filtered(request)
    rows = qs.order_by("household__village__code", "household__number", "rule_id", "member_id").values_list(
        "household__village__township__name",
        "household__village__name",
        "household__number",
        "household__head_name",
        "member__name",
        "rule_id",
        "severity",
        "message",
        "first_seen",
        "resolved_at",
        "acknowledged_at",
        "acknowledge_reason",
    )
    now = timezone.localtime()
    columns = [Column(str(c.header), c.width, c.kind) for c in EXPORT_COLUMNS]
    target = io.BytesIO()
    writer = SheetWriter(
        target,
        sheet_name=_("Logic checks"),
        columns=columns,
        title_lines=[
            _("Logic-check violations"),
            _("Exported at %(time)s") % {"time": f"{now:%Y-%m-%d %H:%M:%S}"},
        ],
    )
    severities = dict(Severity.choices)
    for row in rows.iterator(chunk_size=2000):
        values = list(row)
        values[6] = str(severities.get(values[6], values[6]))
        for index in (8, 9, 10):
            values[index] = timezone.localtime(values[index]) if values[index] else None
        writer.write_row(values)
    return logged_xlsx_response(
        request,
        target,
        write=writer.close,
        kind="violations",
        filename=f"逻辑校验_{now:%Y%m%d}.xlsx",
        ignored=("page", "vpage"),
    )


def _parse_param(raw: str, default):
    raw = (raw or "").strip()
    if isinstance(default, list):
        return [part.strip() for part in raw.replace("，", ",").split(",") if part.strip()]
    if isinstance(default, bool):
        return raw in ("1", "true", "on")
    if isinstance(default, int | float):
        try:
            number = float(raw)
        except ValueError:
            raise DomainError(_("Enter a number.")) from None
        return int(number) if number == int(number) else number
    return raw


@login_required
def rule_settings(request):
    if not permissions.can_manage_county(request.user):
        raise PermissionDenied
    rules = all_rules()
    if request.method == "POST":
        rule = get_rule(request.POST.get("rule_id", ""))
        if rule is None:
            messages.error(request, _("Unknown rule."))
            return redirect("households:rule_settings")
        try:
            params = {
                p.name: _parse_param(request.POST.get(f"param_{p.name}"), p.default) for p in rule.params
            }
        except DomainError as refusal:
            messages.error(request, f"{rule.id}：{refusal.message}")
            return redirect("households:rule_settings")
        setting = RuleSetting.objects.filter(rule_id=rule.id).first() or RuleSetting(rule_id=rule.id)
        setting.enabled = request.POST.get("enabled") == "on"
        setting.params = params
        setting._history_user = request.user
        setting.save()
        messages.success(request, _("Rule %(id)s saved.") % {"id": rule.id})
        return redirect(f"{request.path}#{rule.id}")
    settings = effective_settings(rules)
    entries = []
    for rule in rules:
        current = settings.get(rule.id)
        params = [
            (p, _show_param((current.params if current else {}).get(p.name, p.default))) for p in rule.params
        ]
        entries.append({"rule": rule, "enabled": current.enabled if current else False, "params": params})
    return render(request, "households/rule_settings.html", {"entries": entries})


def _show_param(value) -> str:
    return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
