"""The inbox: list, mark one read (and follow its link), mark all read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .models import Notification
from .services import notification_mark_all_read, notification_mark_read


@login_required
def inbox(request):
    qs = Notification.objects.filter(recipient=request.user)
    if request.GET.get("unread"):
        qs = qs.filter(read_at=None)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {"page_obj": page, "only_unread": bool(request.GET.get("unread"))},
    )


@login_required
@require_POST
def mark_read(request, pk):
    notification = get_object_or_404(Notification, recipient=request.user, pk=pk)
    notification_mark_read(user=request.user, notification_id=notification.pk)
    target = notification.url if request.POST.get("follow") else ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    notification_mark_all_read(user=request.user)
    return redirect("notifications:inbox")
