"""Writes of the inbox: notify a user (once per dedupe key), mark read."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Notification

logger = logging.getLogger(__name__)


def notification_create(
    *,
    recipient,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    dedupe_key: str = "",
    email: bool = True,
) -> Notification | None:
    """The new notification, or None when (recipient, dedupe_key) was already notified."""
    if dedupe_key and Notification.objects.filter(recipient=recipient, dedupe_key=dedupe_key).exists():
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient, kind=kind, title=title, body=body, url=url, dedupe_key=dedupe_key
            )
    except IntegrityError:  # a concurrent run stored the same key first
        return None
    if email and recipient.email:
        transaction.on_commit(lambda: _send_email(notification.pk))
    return notification


def _send_email(notification_id: int) -> None:
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        send_mail(
            notification.title,
            notification.body,
            settings.DEFAULT_FROM_EMAIL,
            [notification.recipient.email],
        )
    except OSError:
        logger.exception("sending notification %s by email failed", notification_id)
        return
    Notification.objects.filter(pk=notification_id).update(emailed=True)


def notification_mark_read(*, user, notification_id: int) -> None:
    Notification.objects.filter(recipient=user, pk=notification_id, read_at=None).update(
        read_at=timezone.now()
    )


def notification_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).update(read_at=timezone.now())
