"""Revisit campaign pages: list and start (command office), progress, assignment, revisits, export."""

import io
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from povertycase.core.models import ExportLog
from povertycase.errors import DomainError

from . import campaigns, privacy, rules
from .excel import write_campaign
from .forms import CampaignAssignForm, CampaignForm, CampaignRevisitForm
from .views import XLSX


@login_required
def campaign_list(request):
    user = request.user
    form = CampaignForm(request.POST or None) if rules.is_command(user) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                campaign = campaigns.campaign_create(user=user, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Campaign started."))
                return redirect(campaign)
    rows = [
        (c, campaigns.progress(c))
        for c in campaigns.campaigns_visible_to(user).select_related("category", "township")
    ]
    return render(request, "petitions/campaign_list.html", {"rows": rows, "form": form})


@login_required
def campaign_detail(request, pk):
    user = request.user
    campaign = get_object_or_404(campaigns.campaigns_visible_to(user), pk=pk)
    entries = [
        (e, privacy.complainant(user, e.petition), campaigns.can_revisit_entry(user, e))
        for e in campaigns.entries_visible_to(user, campaign)
    ]
    return render(
        request,
        "petitions/campaign_detail.html",
        {
            "campaign": campaign,
            "entries": entries,
            "progress": campaigns.progress(campaign),
            "assign_form": CampaignAssignForm() if rules.is_command(user) else None,
            "revisit_form": CampaignRevisitForm(),
        },
    )


@login_required
@require_POST
def campaign_assign(request, pk):
    campaign = get_object_or_404(campaigns.campaigns_visible_to(request.user), pk=pk)
    form = CampaignAssignForm(request.POST)
    ids = [int(i) for i in request.POST.getlist("entries") if i.isdigit()]
    try:
        count = campaigns.campaign_assign(
            user=request.user,
            campaign=campaign,
            entry_ids=ids,
            assignee=form.cleaned_data["assignee"] if form.is_valid() else None,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(count)d petitions assigned.") % {"count": count})
    return redirect(campaign)


@login_required
@require_POST
def campaign_entry_revisit(request, pk, entry_pk):
    campaign = get_object_or_404(campaigns.campaigns_visible_to(request.user), pk=pk)
    entry = get_object_or_404(campaigns.entries_visible_to(request.user, campaign), pk=entry_pk)
    form = CampaignRevisitForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect(campaign)
    try:
        campaigns.campaign_revisit(user=request.user, entry=entry, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Saved."))
    return redirect(campaign)


@login_required
def campaign_export(request, pk):
    user = request.user
    campaign = get_object_or_404(campaigns.campaigns_visible_to(user), pk=pk)
    buffer = io.BytesIO()
    count = write_campaign(buffer, campaign, campaigns.entries_visible_to(user, campaign), user=user)
    ExportLog.objects.create(
        user=user, kind="petition_campaign", filters={"campaign": campaign.pk}, row_count=count
    )
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    name = f"大回访-{campaign.name}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
