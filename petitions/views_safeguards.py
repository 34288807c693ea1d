"""防贫保险 and 五保 care pages: parse, one service call, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from households.queries import households_visible_to
from povertycase.core import codes
from povertycase.errors import DomainError

from . import rules, safeguards
from .forms import CareEditForm, ClaimForm, EnrollForm, PolicyForm
from .models import Claim
from .queries import policies_visible_to


def _form_error(form, exc):
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@login_required
def policy_list(request):
    user = request.user
    form = PolicyForm(request.POST or None) if rules.is_command(user) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                policy = safeguards.policy_create(user=user, **form.cleaned_data)
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(policy)
    policies = policies_visible_to(user).annotate(
        enrolled=Count("enrollments", distinct=True), claimed=Sum("enrollments__claims__amount")
    )
    rows = [(p, codes.label("insurance_payer", p.payer)) for p in policies]
    return render(request, "petitions/policy_list.html", {"rows": rows, "form": form})


@login_required
def policy_detail(request, pk):
    user = request.user
    policy = get_object_or_404(policies_visible_to(user), pk=pk)
    is_command = rules.is_command(user)
    enroll_form = EnrollForm(request.POST or None, user=user) if is_command else None
    claim_form = ClaimForm(policy=policy) if is_command else None
    if request.method == "POST":
        if enroll_form is None:
            raise PermissionDenied
        if enroll_form.is_valid():
            try:
                count = safeguards.policy_enroll(
                    user=user, policy=policy, households=enroll_form.found_households
                )
            except DomainError as exc:
                _form_error(enroll_form, exc)
            else:
                messages.success(request, _("%(count)d households enrolled.") % {"count": count})
                return redirect(policy)
    visible = households_visible_to(user).values("pk")
    enrollments = policy.enrollments.filter(household__in=visible).select_related(
        "household__village__township"
    )
    claims = Claim.objects.filter(
        enrollment__policy=policy, enrollment__household__in=visible
    ).select_related("enrollment__household")
    return render(
        request,
        "petitions/policy_detail.html",
        {
            "policy": policy,
            "payer": codes.label("insurance_payer", policy.payer),
            "enrollments": enrollments,
            "claims": [(c, codes.label("insurance_claim_cause", c.cause)) for c in claims],
            "enroll_form": enroll_form,
            "claim_form": claim_form,
            "eligible_missing": safeguards.eligible_households()
            .exclude(insurance_enrollments__policy=policy)
            .count()
            if is_command
            else None,
        },
    )


@login_required
@require_POST
def policy_enroll_eligible(request, pk):
    policy = get_object_or_404(policies_visible_to(request.user), pk=pk)
    try:
        count = safeguards.policy_enroll(user=request.user, policy=policy)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(count)d households enrolled.") % {"count": count})
    return redirect(policy)


@login_required
@require_POST
def claim_create(request, pk):
    policy = get_object_or_404(policies_visible_to(request.user), pk=pk)
    form = ClaimForm(request.POST, policy=policy)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect(policy)
    try:
        safeguards.claim_create(user=request.user, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Saved."))
    return redirect(policy)


@login_required
def care_list(request):
    page = Paginator(safeguards.five_guarantee_members(request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "petitions/care_list.html",
        {
            "members": page,
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "can_edit": safeguards.can_edit_care(request.user),
        },
    )


@login_required
def care_edit(request, member_pk):
    user = request.user
    member = get_object_or_404(safeguards.five_guarantee_members(user), pk=member_pk)
    if not safeguards.can_edit_care(user):
        raise PermissionDenied
    care = getattr(member, "five_guarantee_care", None)
    initial = (
        {f: getattr(care, f) for f in ("dependency", "form", "institution", "carer", "agreement_date")}
        if care
        else {}
    )
    form = CareEditForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("agreement_file", None)
        try:
            safeguards.care_save(user=user, member=member, data=data, agreement_file=upload)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("petitions:care_list")
    return render(request, "petitions/care_form.html", {"form": form, "member": member, "care": care})
