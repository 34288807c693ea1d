"""Excel import pages: upload, dry-run result with every error, progress, import, rollback.

A batch is visible to its uploader and the command office only; anyone else gets 404.
Small files are checked and imported in the request; larger ones in the Celery worker,
while the detail page polls `import_progress`.
"""

import io
import tempfile

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from povertycase.core.models import ExportLog
from povertycase.core.pagination import ForgivingPaginationMixin
from povertycase.errors import DomainError
from povertycase.excel import write_errors_workbook

from . import rules
from .excel import write_template
from .models import County, ImportBatch
from .services.imports import (
    import_batch_apply,
    import_batch_create,
    import_batch_is_async,
    import_batch_progress,
    import_batch_queue,
    import_batch_rollback_refusal,
    import_batch_validate,
)

ERRORS_PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Register workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    update_existing = forms.BooleanField(
        label=gettext_lazy("Update households already on the register"),
        required=False,
        help_text=gettext_lazy("Matched by household number or ID number; their member lists are replaced."),
    )
    create_regions = forms.BooleanField(
        label=gettext_lazy("Create unknown townships and villages"),
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not rules.can_manage_county(user):
            del self.fields["create_regions"]
        self.helper = FormHelper()
        self.helper.form_enctype = "multipart/form-data"
        self.helper.add_input(Submit("submit", _("Upload and check"), css_class="btn-danger"))


def _require_importer(user):
    if not rules.can_import(user):
        raise PermissionDenied


def batches_visible_to(user):
    qs = ImportBatch.objects.select_related("user", "county")
    if rules.can_manage_county(user):
        return qs
    return qs.filter(user=user) if user.is_authenticated else qs.none()


def _get_batch(request, pk) -> ImportBatch:
    _require_importer(request.user)
    return get_object_or_404(batches_visible_to(request.user), pk=pk)


# What the list shows: never the warnings or the file's errors (a batch may hold 390,000).
LIST_FIELDS = ("original_name", "created_at", "status", "households_count", "members_count", "error_count",
               "user", "user__username", "user__first_name", "user__last_name")  # fmt: skip


class ImportListView(LoginRequiredMixin, ForgivingPaginationMixin, ListView):
    template_name = "households/import_list.html"
    context_object_name = "batches"
    paginate_by = 20

    def get_queryset(self):
        _require_importer(self.request.user)
        return (
            batches_visible_to(self.request.user)
            .select_related(None)
            .select_related("user")
            .only(*LIST_FIELDS)
        )


@login_required
def import_create(request):
    _require_importer(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            batch = import_batch_create(
                user=request.user,
                uploaded_file=form.cleaned_data["file"],
                update_existing=form.cleaned_data["update_existing"],
                create_regions=form.cleaned_data.get("create_regions", False),
            )
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            _start_validation(batch)
            return redirect(batch)
    max_mb = settings.IMPORT_MAX_UPLOAD_BYTES // (1024 * 1024)
    return render(request, "households/import_form.html", {"form": form, "max_mb": max_mb})


def _start_validation(batch: ImportBatch) -> None:
    if import_batch_is_async(batch=batch):
        from .tasks import validate_import_task

        transaction.on_commit(lambda: validate_import_task.delay(batch.pk))
    else:
        import_batch_validate(batch=batch)


@login_required
def import_template(request):
    _require_importer(request.user)
    county = County.objects.order_by("pk").first()
    buffer = io.BytesIO()
    write_template(buffer, title_county=county.name if county else "", exported_at=timezone.localtime())
    buffer.seek(0)
    return FileResponse(
        buffer, as_attachment=True, filename="建档立卡贫困人口信息表_模板.xlsx", content_type=XLSX
    )


@login_required
def import_detail(request, pk):
    batch = _get_batch(request, pk)
    errors = Paginator(batch.error_rows.all(), ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    refusal = (
        import_batch_rollback_refusal(batch=batch) if batch.status == ImportBatch.Status.IMPORTED else ""
    )
    context = {
        "batch": batch,
        "errors_page": errors,
        "page_range": errors.paginator.get_elided_page_range(errors.number),
        "progress": import_batch_progress(batch=batch),
        "can_confirm": batch.status == ImportBatch.Status.VALID,
        "can_rollback": batch.status == ImportBatch.Status.IMPORTED
        and not refusal
        and rules.can_rollback_import(request.user, batch),
        "rollback_refusal": refusal,
    }
    return render(request, "households/import_detail.html", context)


@login_required
def import_progress(request, pk):
    batch = _get_batch(request, pk)
    return JsonResponse(
        {
            "status": batch.status,
            "status_display": batch.get_status_display(),
            "progress": import_batch_progress(batch=batch),
            "running": batch.is_running,
            "errors": batch.error_count,
            "households": batch.households_count,
            "members": batch.members_count,
        }
    )


@login_required
@require_POST
def import_confirm(request, pk):
    batch = _get_batch(request, pk)
    if batch.status != ImportBatch.Status.VALID:
        messages.error(request, _("Only a checked batch without errors can be imported."))
        return redirect(batch)
    if import_batch_is_async(batch=batch):
        from .tasks import apply_import_task

        if import_batch_queue(batch=batch):
            user_id = request.user.pk
            transaction.on_commit(lambda: apply_import_task.delay(batch.pk, user_id))
            messages.info(request, _("The import has started; this page shows its progress."))
        return redirect(batch)
    try:
        batch = import_batch_apply(batch=batch, user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(batch)
    if batch.status != ImportBatch.Status.IMPORTED:  # success is shown by the page itself
        messages.error(
            request, _("The register changed since the check; nothing was imported. See the errors.")
        )
    return redirect(batch)


@login_required
@require_POST
def import_rollback(request, pk):
    from .services.imports import import_batch_rollback

    batch = _get_batch(request, pk)
    if not rules.can_rollback_import(request.user, batch):
        raise Http404
    if import_batch_is_async(batch=batch):
        # Deleting thousands of households with their history takes longer than a request.
        from .tasks import rollback_import_task

        user_id = request.user.pk
        transaction.on_commit(lambda: rollback_import_task.delay(batch.pk, user_id))
        messages.info(
            request, _("The rollback runs in the background; this page shows “Rolled back” when it is done.")
        )
        return redirect(batch)
    try:
        import_batch_rollback(batch=batch, user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The batch was rolled back."))
    return redirect(batch)


@login_required
def import_errors_xlsx(request, pk):
    batch = _get_batch(request, pk)
    if not batch.error_count or not batch.file:
        raise Http404
    # Written to a temporary file through the writer's constant-memory mode, the errors read
    # from the database in chunks: 100,000 errors never stand in memory at once.
    target = tempfile.TemporaryFile()
    try:
        _write_batch_errors(batch, target)
    except BaseException:
        target.close()
        raise
    target.seek(0)
    ExportLog.objects.create(
        user=request.user, kind="import_errors", filters={"batch": batch.pk}, row_count=batch.error_count
    )
    return FileResponse(target, as_attachment=True, filename=f"导入错误_{batch.pk}.xlsx", content_type=XLSX)


def _write_batch_errors(batch: ImportBatch, target) -> None:
    from povertycase.excel import read_sheet

    from .excel import SHEET_NAME
    from .excel.layouts import is_header_row

    with batch.file.open("rb") as handle:
        sheet = read_sheet(handle.read(), preferred_name=SHEET_NAME)
    headers = []
    for _number, cells in sheet.rows:
        if is_header_row(cells):
            headers = [str(c) for c in cells]
            break
    errors = (
        batch.error_rows.order_by(F("row").asc(nulls_first=True), "position")
        .values_list("row", "column", "message")
        .iterator(chunk_size=2000)
    )
    write_errors_workbook(
        target,
        headers=headers,
        rows=_rows_with_errors(sheet.rows, errors, headers),
        title=batch.original_name,
    )


def _rows_with_errors(sheet_rows, errors, headers):
    """(row number, cells, problems) of the file-level errors, then of each sheet row with errors:
    both streams are in row order, so one pass over each joins them."""
    from .excel.columns import normalize_header
    from .excel.layouts import ALL_NAME_TO_KEY as NAME_TO_KEY

    index = {NAME_TO_KEY.get(normalize_header(h)): i for i, h in enumerate(headers)}

    def problem(column, message):
        return index.get(NAME_TO_KEY.get(normalize_header(column or ""))), message

    pending = next(errors, None)
    while pending is not None and not pending[0]:
        yield 0, [], [(None, pending[2])]
        pending = next(errors, None)
    for number, cells in sheet_rows:
        while pending is not None and pending[0] < number:  # errors of rows before the header
            pending = next(errors, None)
        if pending is None:
            return
        problems = []
        while pending is not None and pending[0] == number:
            problems.append(problem(pending[1], pending[2]))
            pending = next(errors, None)
        if problems:
            yield number, cells, problems
