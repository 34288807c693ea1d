"""Celery tasks of the households app: thin wrappers around services."""

import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)
STALE_AFTER = timedelta(days=30)


@shared_task(name="households.tasks.validate_import_task")
def validate_import_task(batch_id: int) -> None:
    from .models import ImportBatch
    from .services.imports import import_batch_fail, import_batch_validate

    batch = ImportBatch.objects.get(pk=batch_id)
    try:
        import_batch_validate(batch=batch)
    except Exception as exc:
        logger.exception("validating import batch %s failed", batch_id)
        import_batch_fail(batch=batch, message=_("Checking the file failed: %s") % exc)


@shared_task(name="households.tasks.apply_import_task")
def apply_import_task(batch_id: int, user_id: int | None) -> None:
    from django.contrib.auth import get_user_model

    from povertycase.errors import DomainError

    from .models import ImportBatch
    from .services.imports import import_batch_apply, import_batch_fail

    batch = ImportBatch.objects.get(pk=batch_id)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        import_batch_apply(batch=batch, user=user)
    except DomainError as exc:
        import_batch_fail(batch=batch, message=exc.message)
    except Exception as exc:
        logger.exception("import batch %s failed", batch_id)
        import_batch_fail(batch=batch, message=_("The import failed and nothing was saved: %s") % exc)


@shared_task(name="households.tasks.purge_stale_import_files_task")
def purge_stale_import_files_task() -> int:
    """Delete the uploaded files of batches never imported and older than 30 days."""
    from .models import ImportBatch

    never_imported = [
        ImportBatch.Status.UPLOADED,
        ImportBatch.Status.VALIDATING,
        ImportBatch.Status.INVALID,
        ImportBatch.Status.VALID,
        ImportBatch.Status.FAILED,
    ]
    stale = ImportBatch.objects.filter(
        status__in=never_imported, created_at__lt=timezone.now() - STALE_AFTER
    ).exclude(file="")
    purged = 0
    for batch in stale.iterator():
        batch.file.delete(save=False)
        ImportBatch.objects.filter(pk=batch.pk).update(file="")
        purged += 1
    if purged:
        logger.info("purged %d stale import files", purged)
    return purged


from .checks.tasks import run_logic_checks_task  # noqa: E402, F401  (Celery autodiscovery)


@shared_task(name="households.tasks.rollback_import_task")
def rollback_import_task(batch_id: int, user_id: int | None) -> None:
    from django.contrib.auth import get_user_model

    from povertycase.errors import DomainError

    from .models import ImportBatch
    from .services.imports import import_batch_rollback

    batch = ImportBatch.objects.get(pk=batch_id)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        import_batch_rollback(batch=batch, user=user)
    except DomainError as exc:
        ImportBatch.objects.filter(pk=batch_id).update(message=exc.message)
    except Exception as exc:
        logger.exception("rolling back import batch %s failed", batch_id)
        ImportBatch.objects.filter(pk=batch_id).update(
            message=_("The rollback failed; nothing was changed: %s") % exc
        )
