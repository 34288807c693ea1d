from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message in a user's inbox.

    `dedupe_key` makes a periodic job idempotent: the same (recipient, key) is stored once,
    so running the daily alerts twice on one day creates nothing the second time.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    dedupe_key = models.CharField(max_length=120, blank=True)
    emailed = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="notification_unique_dedupe_key",
            )
        ]

    def __str__(self):
        return f"{self.recipient} {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
