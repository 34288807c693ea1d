"""Serving a page's xlsx export: the file is written and the export logged in one transaction."""

from collections.abc import Callable

from django.db import transaction
from django.http import FileResponse

from .models import ExportLog


def page_filters(request, ignored=("page",)) -> dict:
    """The query parameters that shaped the export (paging left out), as the log keeps them."""
    return {k: v for k, v in request.GET.items() if v and k not in ignored}


def logged_xlsx_response(
    request, target, *, write: Callable[[], int], kind: str, filename: str, ignored=("page",)
) -> FileResponse:
    """Run `write()` (returns the rows written into `target`), log it, and send `target` as a download."""
    with transaction.atomic():
        count = write()
        ExportLog.objects.create(
            user=request.user, kind=kind, filters=page_filters(request, ignored), row_count=count
        )
    target.seek(0)
    return FileResponse(target, as_attachment=True, filename=filename)
