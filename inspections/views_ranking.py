"""Weekly ranking pages (排序通报): the ranking, the bulletin and its xlsx, the settings."""

import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from povertycase.excel import Column, write_sheet

from .models import INDICATORS, RankingSettings, RankingSnapshot, UnitKind
from .ranking import compute_last_complete_week
from .rules import can_manage_ranking, can_see_ranking

INDICATOR_LABELS = {
    "closing_rate": gettext_lazy("Closing rate of rectification items"),
    "overdue": gettext_lazy("Overdue rectification items"),
    "violations_per_100": gettext_lazy("Logic-check errors per 100 households"),
    "visit_coverage": gettext_lazy("Visit coverage (30 days)"),
    "findings_per_100": gettext_lazy("Inspection findings per 100 households"),
    "spot_check": gettext_lazy("Spot-check accuracy"),
    "fund_disbursement": gettext_lazy("Fund disbursement rate"),
    "projects_on_schedule": gettext_lazy("Projects on schedule"),
}
KIND_LABELS = {
    UnitKind.TOWNSHIP: gettext_lazy("Townships ranked"),
    UnitKind.DEPARTMENT: gettext_lazy("Departments ranked"),
}


def _reader(request):
    if not can_see_ranking(request.user):
        raise PermissionDenied


def _snapshot(week):
    qs = RankingSnapshot.objects.all()
    snapshot = qs.filter(week=week).first() if week else qs.first()
    if week and snapshot is None:
        raise Http404
    return snapshot


def _tables(snapshot):
    """Per kind: rows with the indicators in display order (raw, normalised, weight)."""
    tables = []
    if snapshot is None:
        return tables
    weights = snapshot.weights
    for kind in (UnitKind.TOWNSHIP, UnitKind.DEPARTMENT):
        rows = []
        for entry in snapshot.entries.filter(kind=kind).order_by("rank"):
            cells = [
                {
                    "key": key,
                    "raw": entry.raw.get(key),
                    "norm": entry.normalised.get(key),
                    "weight": weights.get(key),
                }
                for key, _better in INDICATORS
            ]
            rows.append({"entry": entry, "cells": cells})
        if rows:
            tables.append({"kind": kind, "label": KIND_LABELS[kind], "rows": rows})
    return tables


def _context(request, snapshot):
    return {
        "snapshot": snapshot,
        "weeks": RankingSnapshot.objects.values_list("week", flat=True),
        "tables": _tables(snapshot),
        "indicators": [
            (key, INDICATOR_LABELS[key], better, snapshot.weights.get(key) if snapshot else None)
            for key, better in INDICATORS
        ],
        "show_flags": can_manage_ranking(request.user),
    }


@login_required
def ranking(request):
    _reader(request)
    snapshot = _snapshot(request.GET.get("week"))
    return render(request, "inspections/ranking.html", _context(request, snapshot))


@login_required
def ranking_bulletin(request, week):
    _reader(request)
    snapshot = _snapshot(week)
    context = _context(request, snapshot)
    lines = bulletin_lines(snapshot)
    context["bulletin"] = [{"label": table["label"], **lines[table["kind"]]} for table in context["tables"]]
    return render(request, "inspections/ranking_bulletin.html", context)


@login_required
@require_POST
def ranking_compute(request):
    """The weekly beat job run by hand: ranks the last complete week once; a rerun changes nothing."""
    if not can_manage_ranking(request.user):
        raise PermissionDenied
    outcome = compute_last_complete_week()
    snapshot = outcome.snapshot
    if outcome.created:
        messages.success(
            request,
            _("Ranking for %(week)s computed: %(units)s units ranked.")
            % {"week": snapshot.week, "units": snapshot.entries.count()},
        )
    else:
        messages.info(
            request,
            _("The ranking for %(week)s was already computed at %(at)s; nothing changed.")
            % {"week": snapshot.week, "at": f"{timezone.localtime(snapshot.computed_at):%Y-%m-%d %H:%M}"},
        )
    return redirect(f"{reverse('inspections:ranking')}?week={snapshot.week}")


def bulletin_lines(snapshot) -> dict:
    """Named units for the bulletin: top and bottom of each kind (never "个别")."""
    out = {}
    for kind in (UnitKind.TOWNSHIP, UnitKind.DEPARTMENT):
        entries = list(snapshot.entries.filter(kind=kind).order_by("rank"))
        out[kind] = {
            "top": [e.name for e in entries if e.top],
            "bottom": [e.name for e in entries if e.bottom],
        }
    return out


@login_required
def ranking_export(request, week):
    _reader(request)
    snapshot = _snapshot(week)
    columns = [
        Column(_("Unit kind"), 10),
        Column(_("Rank"), 6, "int"),
        Column(_("Unit"), 18),
        Column(_("Score"), 8, "decimal"),
        *[Column(str(INDICATOR_LABELS[key]), 14) for key, _better in INDICATORS],
        Column(_("Marked"), 10),
    ]

    def rows():
        for table in _tables(snapshot):
            for row in table["rows"]:
                e = row["entry"]
                mark = _("Top") if e.top else (_("Bottom") if e.bottom else "")
                values = ["" if c["raw"] is None else f"{c['raw']:g}" for c in row["cells"]]
                yield [str(e.get_kind_display()), e.rank, e.name, e.score, *values, mark]

    buffer = io.BytesIO()
    title = _("Weekly ranking bulletin %(week)s (%(first)s – %(last)s)") % {
        "week": snapshot.week,
        "first": f"{snapshot.first_day:%Y-%m-%d}",
        "last": f"{snapshot.last_day:%Y-%m-%d}",
    }
    write_sheet(buffer, sheet_name=snapshot.week, columns=columns, rows=rows(), title_lines=[title])
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="ranking-{snapshot.week}.xlsx"'
    return response


class RankingSettingsForm(forms.ModelForm):
    class Meta:
        model = RankingSettings
        fields = [f"w_{key}" for key, _better in INDICATORS] + ["top_n", "bottom_n", "escalation_places"]


@login_required
def ranking_settings(request):
    if not can_manage_ranking(request.user):
        raise PermissionDenied
    form = RankingSettingsForm(request.POST or None, instance=RankingSettings.current())
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Ranking settings saved; they apply from the next weekly ranking."))
        return redirect("inspections:ranking")
    return render(request, "inspections/ranking_settings.html", {"form": form})
