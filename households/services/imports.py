"""The life of an import batch: upload, dry run, import in one transaction, rollback.

The file is always validated completely before anything is written; any error means
nothing is written (REGISTER_XLSX.md §4.11). Imports of one county never run at once: the
county row is locked with SELECT … FOR UPDATE and a batch already `importing` is refused.
"""

import logging
from pathlib import PurePath

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from povertycase.core.uploads import check_xlsx_upload
from povertycase.errors import DomainError
from povertycase.excel import WorkbookError, ensure_xlsx

from ..excel import SHEET_NAME, parse_register
from ..models import County, Household, ImportBatch, ImportBatchError, ImportBatchHousehold
from ..rules import can_import, can_manage_county, can_rollback_import
from . import import_write
from .import_plan import import_plan_build

logger = logging.getLogger(__name__)
Status = ImportBatch.Status


def progress_key(batch_id: int) -> str:
    return f"import-progress:{batch_id}"


def import_batch_progress(*, batch: ImportBatch) -> int:
    """The latest progress; the cache sees updates made inside a still-open transaction."""
    cached = cache.get(progress_key(batch.pk))
    return batch.progress if cached is None or not batch.is_running else cached


def _report(batch: ImportBatch, percent: int) -> None:
    percent = max(0, min(100, int(percent)))
    cache.set(progress_key(batch.pk), percent, 6 * 3600)
    if not connection.in_atomic_block:
        ImportBatch.objects.filter(pk=batch.pk).update(progress=percent)
    batch.progress = percent


# ---------------------------------------------------------------- create


def import_batch_create(*, user, uploaded_file, update_existing: bool = False, create_regions: bool = False):
    if user is not None and not can_import(user):
        raise DomainError(_("You may not import households."))
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > settings.IMPORT_MAX_UPLOAD_BYTES:
        raise DomainError(_limit_message())
    data = uploaded_file.read()
    _ensure_workbook(data)
    name = PurePath(getattr(uploaded_file, "name", "") or "import.xlsx").name
    batch = ImportBatch(
        user=user if user is not None else None,
        original_name=name[:255],
        update_existing=update_existing,
        create_regions=create_regions and (user is None or can_manage_county(user)),
        total_rows=_estimate_rows(data),
    )
    batch.file.save(f"{timezone.now():%Y%m%d%H%M%S}.xlsx", ContentFile(data), save=False)
    batch.save()
    return batch


def _limit_message() -> str:
    return _("The file is larger than %(mb)d MB; split it into smaller files.") % {
        "mb": settings.IMPORT_MAX_UPLOAD_BYTES // (1024 * 1024)
    }


def _ensure_workbook(data: bytes) -> None:
    if not data:
        raise DomainError(_("The file is empty."))
    if len(data) > settings.IMPORT_MAX_UPLOAD_BYTES:
        raise DomainError(_limit_message())
    check_xlsx_upload(data)  # zip bombs and hostile sheets, before calamine opens the file
    try:
        ensure_xlsx(data)
    except WorkbookError as exc:
        if str(exc) == "not-xlsx":
            raise DomainError(
                _("Only Excel .xlsx files can be imported; save .xls or .csv files as .xlsx in Excel first.")
            ) from None
        raise DomainError(_("The file is damaged or cannot be opened as an Excel workbook.")) from None


def _estimate_rows(data: bytes) -> int:
    import io

    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        name = SHEET_NAME if SHEET_NAME in workbook.sheet_names else workbook.sheet_names[0]
        end = workbook.get_sheet_by_name(name).end
        return max(0, end[0] - 2) if end else 0  # title rows and header
    except Exception:  # the real read reports the problem
        return 0


def import_batch_is_async(*, batch: ImportBatch) -> bool:
    return batch.total_rows > settings.IMPORT_SYNC_MAX_ROWS


def import_batch_queue(*, batch: ImportBatch) -> bool:
    """Mark a checked batch `importing` for the worker; False if it was not (or no longer) valid."""
    queued = ImportBatch.objects.filter(pk=batch.pk, status=Status.VALID).update(
        status=Status.IMPORTING, progress=0
    )
    if queued:
        _report(batch, 0)
        batch.status = Status.IMPORTING
    return bool(queued)


# ---------------------------------------------------------------- validate


def _check(batch: ImportBatch, *, user):
    """Parse and check the file; returns (register, plan or None), errors stored on the batch."""
    batch.file.open("rb")
    try:
        data = batch.file.read()
    finally:
        batch.file.close()
    register = parse_register(data, progress=lambda row, total: _report(batch, 5 + 55 * row / max(total, 1)))
    plan = None
    errors = list(register.errors)
    if not errors:
        plan = import_plan_build(
            register=register,
            user=user,
            update_existing=batch.update_existing,
            create_regions=batch.create_regions,
        )
        errors = plan.errors
    _set_errors(batch, errors)
    batch.warnings = register.warnings
    batch.layout = register.layout
    batch.data_date = register.reference_date
    batch.columns = {
        "read": register.columns_read,
        "ignored": register.columns_ignored,
        "lacking": register.columns_lacking,
        "derived": register.columns_derived,
    }
    batch.total_rows = register.total_rows
    batch.households_count = len(register.households)
    batch.members_count = register.member_total
    batch.created_count = sum(1 for item in plan.items if item.existing is None) if plan and not errors else 0
    batch.updated_count = sum(1 for item in plan.items if item.existing) if plan and not errors else 0
    if plan and plan.county_names:
        batch.county = plan.counties.get(plan.county_names[0])
    return register, plan


ERROR_CHUNK = 2000


def _set_errors(batch: ImportBatch, errors: list[dict]) -> None:
    """Replace the batch's error rows, written in chunks so a junk workbook's 390,000 errors
    never stand as model instances at once; the batch itself keeps only the count."""
    with transaction.atomic():
        ImportBatchError.objects.filter(batch=batch).delete()
        for start in range(0, len(errors), ERROR_CHUNK):
            ImportBatchError.objects.bulk_create(
                [_error_row(batch, start + n, e) for n, e in enumerate(errors[start : start + ERROR_CHUNK])]
            )
        ImportBatch.objects.filter(pk=batch.pk).update(error_count=len(errors))
    batch.error_count = len(errors)
    batch.__dict__["_errors"] = list(errors)


def _error_row(batch: ImportBatch, position: int, error: dict) -> ImportBatchError:
    value = error.get("value")
    return ImportBatchError(
        batch=batch,
        position=position,
        row=error.get("row") or None,
        column=str(error.get("column") or "")[:255],
        code=str(error.get("code") or "")[:40],
        value="" if value is None else str(value),
        message=str(error.get("message") or ""),
    )


def import_batch_validate(*, batch: ImportBatch) -> ImportBatch:
    """Dry run: reads and checks everything, writes nothing but the batch's result."""
    ImportBatch.objects.filter(pk=batch.pk).update(status=Status.VALIDATING)
    _report(batch, 1)
    register, plan = _check(batch, user=batch.user)
    batch.status = Status.INVALID if batch.error_count else Status.VALID
    batch.message = ""
    batch.finished_at = None
    batch.progress = 100
    batch.save()
    _report(batch, 100)
    return batch


# ---------------------------------------------------------------- apply


def import_batch_apply(*, batch: ImportBatch, user) -> ImportBatch:
    # IMPORTING: queued for the worker by import_batch_queue.
    if batch.status not in (Status.VALID, Status.INVALID, Status.FAILED, Status.UPLOADED, Status.IMPORTING):
        raise DomainError(_("This batch cannot be imported in its current state."))
    if user is not None and not can_rollback_import(user, batch):
        raise DomainError(_("You may not import this batch."))
    _report(batch, 1)
    register, plan = _check(batch, user=user if user is not None else batch.user)
    if batch.error_count:
        batch.status = Status.INVALID
        batch.progress = 100
        batch.save()
        return batch
    _claim_county(batch, plan)
    try:
        with transaction.atomic():
            _lock_counties(plan.county_names)
            # The register may have changed since the dry run: check again under the lock.
            plan = import_plan_build(
                register=register,
                user=user if user is not None else batch.user,
                update_existing=batch.update_existing,
                create_regions=batch.create_regions,
            )
            if plan.errors:
                raise _PlanChanged(plan.errors)
            if stale := import_write.changed_since(plan, batch.created_at):  # no overwrite of later saves
                raise _PlanChanged(stale)
            import_write.create_regions(plan)
            created, updated = import_write.write_plan(
                plan=plan,
                batch=batch,
                user=user,
                year=register.reference_year,
                reason=_("Excel import #%d") % batch.pk,
                progress=lambda p: _report(batch, p),
                unrecorded=import_write.unrecorded_fields(register.keys_read),
            )
            batch.county = plan.counties.get(plan.county_names[0]) if plan.county_names else None
            batch.created_count, batch.updated_count = created, updated
            batch.status = Status.IMPORTED
            batch.finished_at = timezone.now()
            batch.progress = 100
            batch.message = ""
            batch.save()
    except _PlanChanged as exc:
        _set_errors(batch, exc.errors)
        batch.status = Status.INVALID
        batch.progress = 100
        batch.save()
    except BaseException:
        ImportBatch.objects.filter(pk=batch.pk).update(status=Status.VALID)
        raise
    _report(batch, 100)
    return batch


class _PlanChanged(Exception):
    def __init__(self, errors):
        super().__init__("plan changed")
        self.errors = errors


def _lock_counties(names) -> list[County]:
    return list(County.objects.select_for_update().filter(name__in=names).order_by("pk"))


def _claim_county(batch: ImportBatch, plan) -> None:
    """Mark the batch `importing`, refusing when another batch of its county is importing."""
    with transaction.atomic():
        counties = _lock_counties(plan.county_names)
        others = ImportBatch.objects.filter(status=Status.IMPORTING, county__in=counties).exclude(pk=batch.pk)
        # A batch whose progress has not moved for hours (its worker died) no longer blocks
        # the county; the row lock below still keeps two imports from writing at once.
        other = next((b for b in others if cache.get(progress_key(b.pk)) is not None), None)
        if other is not None:
            raise DomainError(
                _("Batch #%(id)d of %(county)s is being imported; try again when it has finished.")
                % {"id": other.pk, "county": other.county}
            )
        batch.county = counties[0] if counties else None
        batch.status = Status.IMPORTING
        batch.save(update_fields=["county", "status", "error_count", "warnings", "total_rows",
                                  "households_count", "members_count", "created_count", "updated_count",
                                  "layout", "data_date", "columns"])  # fmt: skip


def import_batch_fail(*, batch: ImportBatch, message: str) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(status=Status.FAILED, message=message, progress=100)
    cache.delete(progress_key(batch.pk))


# ---------------------------------------------------------------- rollback


def import_batch_rollback_refusal(*, batch: ImportBatch) -> str:
    """Why the batch cannot be rolled back now, or "" when it can."""
    if batch.status != Status.IMPORTED:
        return _("Only an imported batch can be rolled back.")
    touched = ImportBatchHousehold.objects.filter(batch=batch, household__isnull=False)
    later = (
        ImportBatchHousehold.objects.filter(
            household__in=touched.values("household_id"), batch__status=Status.IMPORTED, batch_id__gt=batch.pk
        )
        .order_by("batch_id")
        .values_list("batch_id", flat=True)
        .first()
    )
    if later:
        return _("Batch #%d imported later changed the same households; roll that batch back first.") % later
    if batch.finished_at:
        changed = (
            Household.objects.filter(pk__in=touched.values("household_id"), updated_at__gt=batch.finished_at)
            .values_list("number", flat=True)
            .first()
        )
        if changed:
            return _("Household %s was edited after this import; it cannot be rolled back.") % changed
    return ""


def import_batch_rollback(*, batch: ImportBatch, user) -> ImportBatch:
    if user is not None and not can_rollback_import(user, batch):
        raise DomainError(_("You may not roll back this batch."))
    with transaction.atomic():
        _lock_counties([batch.county.name] if batch.county else [])
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        refusal = import_batch_rollback_refusal(batch=batch)
        if refusal:
            raise DomainError(refusal)
        touches = list(batch.touched.all())
        reason = _("Rollback of Excel import #%d") % batch.pk
        try:
            import_write.delete_created(
                touches=[t for t in touches if t.action == ImportBatchHousehold.Action.CREATED], user=user
            )
            import_write.restore(
                touches=[t for t in touches if t.action == ImportBatchHousehold.Action.UPDATED],
                user=user,
                reason=reason,
            )
        except ProtectedError:
            raise DomainError(
                _("Records added after the import refer to these households; the import cannot be undone.")
            ) from None
        batch.status = Status.ROLLED_BACK
        batch.finished_at = timezone.now()
        batch.save(update_fields=["status", "finished_at"])
    logger.info("import batch %s rolled back by %s", batch.pk, user)
    return batch
