"""xlsx downloads of the funds pages, each logged in ExportLog."""

import io

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone

from households.models import Village
from households.queries import villages_visible_to
from povertycase.core.exports import logged_xlsx_response

from . import excel, queries
from .views import parse_year_as_of, scoped_progress


@login_required
def ledger_export(request):
    year, as_of = parse_year_as_of(request)
    progress = scoped_progress(request.user, year, as_of)
    projects = (
        queries.with_money(queries.projects_visible_to(request.user))
        .filter(year=year)
        .prefetch_related(Prefetch("villages", queryset=Village.objects.order_by("code")))
        .order_by("number")
    )
    target = io.BytesIO()
    return logged_xlsx_response(
        request,
        target,
        write=lambda: excel.write_ledger(target, projects, progress, today=timezone.localdate()),
        kind="funds_ledger",
        filename=f"扶贫项目资金台账_{year}.xlsx",
    )


@login_required
def board_export(request, village_pk):
    village = get_object_or_404(villages_visible_to(request.user).select_related("township"), pk=village_pk)
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else timezone.localdate().year
    rows = queries.board_rows(request.user, village, year)
    target = io.BytesIO()
    return logged_xlsx_response(
        request,
        target,
        write=lambda: excel.write_board(target, village, year, rows),
        kind="funds_board",
        filename=f"受益户公示_{village.name}_{year}.xlsx",
    )
