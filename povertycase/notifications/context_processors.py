from .models import Notification


def unread_notifications(request):
    """The unread count for the bell in the top bar (one query per page)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": Notification.objects.filter(recipient=user, read_at=None).count()}
