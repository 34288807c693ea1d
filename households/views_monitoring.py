"""防返贫监测 pages: the case list with counts and export, the risk groups, registering a clue,
the case page with its timeline and the forms of the steps the user may take.

Every read goes through `households_visible_to`: a case outside the user's area is a 404.
"""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from povertycase.core import codes, concurrency
from povertycase.core.exports import logged_xlsx_response
from povertycase.core.files import attachment_response
from povertycase.core.params import id_or_none
from povertycase.errors import DomainError
from povertycase.excel import Column, SheetWriter

from .forms_monitoring import (
    ClueForm,
    DecisionForm,
    EliminationForm,
    HelpForm,
    MonitoringCaseFilter,
    NaturalForm,
    NoticeForm,
    ReopenForm,
    StepForm,
)
from .models import MonitoringCase, MonitoringStep
from .models.monitoring import MONITORED_STATES, CaseState
from .models.register import split_codes
from .monitoring_flags import FLAGS, flagged, get_flag, township_counts
from .queries import households_visible_to, townships_visible_to
from .services import monitoring as svc

PAGE_SIZE = 50

# action -> (form, service, button label, button style)
ACTIONS = {
    "start_verification": (
        StepForm,
        svc.case_start_verification,
        _lazy("Start village verification"),
        "primary",
    ),
    "start_notice": (NoticeForm, svc.case_start_notice, _lazy("Post the village notice"), "primary"),
    "township_review": (StepForm, svc.case_township_review, _lazy("Township review done"), "primary"),
    "county_decision": (
        DecisionForm,
        svc.case_county_decision,
        _lazy("Record the county decision"),
        "danger",
    ),
    "record_help": (HelpForm, svc.case_record_help, _lazy("Record help given"), "success"),
    "start_elimination": (
        EliminationForm,
        svc.case_start_elimination,
        _lazy("Propose elimination"),
        "primary",
    ),
    "approve_elimination": (StepForm, svc.case_approve_elimination, _lazy("Approve elimination"), "danger"),
    "eliminate_natural": (
        NaturalForm,
        svc.case_eliminate_natural,
        _lazy("Close as eliminated naturally"),
        "secondary",
    ),
    "reopen": (ReopenForm, svc.case_reopen, _lazy("Reopen: new risk found"), "danger"),
}


def cases_visible_to(user) -> QuerySet[MonitoringCase]:
    return MonitoringCase.objects.filter(household__in=households_visible_to(user).values("pk"))


def _filtered(request) -> MonitoringCaseFilter:
    qs = cases_visible_to(request.user).select_related("household__village__township")
    return MonitoringCaseFilter(request.GET or None, queryset=qs, request=request)


def _counts(qs: QuerySet) -> dict:
    """Households monitored now by category and by township, and cases by state (filtered cases)."""
    base = qs.order_by()
    monitored = Q(state__in=MONITORED_STATES)
    by_category = {
        row["category"]: row["n"]
        for row in base.filter(monitored).values("category").annotate(n=Count("household", distinct=True))
    }
    categories = [
        (code, label, by_category.get(code, 0)) for code, label in codes.choices("monitor_category")
    ]
    townships = (
        base.values("household__village__township_id", "household__village__township__name")
        .annotate(n=Count("pk"), monitored=Count("household", filter=monitored, distinct=True))
        .order_by("household__village__township__code")
    )
    by_state = {row["state"]: row["n"] for row in base.values("state").annotate(n=Count("pk"))}
    return {
        "categories": categories,
        "assessing": sum(by_state.get(s, 0) for s in svc.ASSESSING_STATES),
        "townships": townships,
        "states": [(value, label, by_state.get(value, 0)) for value, label in CaseState.choices],
    }


@login_required
def monitoring_list(request):
    filterset = _filtered(request)
    qs = filterset.qs.order_by("-clue_date", "-pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for case in page:
        case.risk_labels = "、".join(codes.label("monitor_risk", r) for r in case.risk_codes)
    context = {
        "filter": filterset,
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number),
        **_counts(filterset.qs),
    }
    return render(request, "households/monitoring_list.html", context)


EXPORT_COLUMNS = [
    Column(_lazy("Township"), 12),
    Column(_lazy("Village"), 12),
    Column(_lazy("Household number"), 20),
    Column(_lazy("Head of household"), 10),
    Column(_lazy("monitored category"), 14),
    Column(_lazy("state"), 12),
    Column(_lazy("discovery channel"), 12),
    Column(_lazy("clue date"), 12, "date"),
    Column(_lazy("risks"), 24),
    Column(_lazy("identification date (county decision)"), 14, "date"),
    Column(_lazy("lead unit"), 14),
    Column(_lazy("responsible person"), 10),
    Column(_lazy("elimination method"), 10),
    Column(_lazy("elimination date"), 12, "date"),
]


@login_required
def monitoring_export(request):
    filterset = _filtered(request)
    rows = filterset.qs.order_by("household__village__code", "household__number", "clue_date").values_list(
        "household__village__township__name",
        "household__village__name",
        "household__number",
        "household__head_name",
        "category",
        "state",
        "channel",
        "clue_date",
        "risks",
        "identified_on",
        "responsible_department__name",
        "responsible_person",
        "elimination_method",
        "eliminated_on",
    )
    now = timezone.localtime()
    target = io.BytesIO()
    writer = SheetWriter(
        target,
        sheet_name=_("Monitoring"),
        columns=[Column(str(c.header), c.width, c.kind) for c in EXPORT_COLUMNS],
        title_lines=[
            _("Monitored households (防返贫监测)"),
            _("Exported at %(time)s") % {"time": f"{now:%Y-%m-%d %H:%M:%S}"},
        ],
    )
    states = dict(CaseState.choices)
    for row in rows.iterator(chunk_size=2000):
        values = list(row)
        values[4] = codes.label("monitor_category", values[4])
        values[5] = str(states.get(values[5], values[5]))
        values[6] = codes.label("monitor_channel", values[6])
        values[8] = "、".join(codes.label("monitor_risk", r) for r in split_codes(values[8]))
        values[12] = codes.label("elimination_method", values[12])
        writer.write_row(values)
    return logged_xlsx_response(
        request, target, write=writer.close, kind="monitoring", filename=f"防返贫监测_{now:%Y%m%d}.xlsx"
    )


# ------------------------------------------------------------------ risk groups


@login_required
def monitoring_risks(request):
    households = households_visible_to(request.user)
    rows = township_counts(households)
    totals = [(flag, sum(dict(r["counts"])[flag] for r in rows)) for flag in FLAGS]
    context = {"rows": rows, "flags": FLAGS, "totals": totals}
    return render(request, "households/monitoring_risks.html", context)


@login_required
def monitoring_risk_households(request, flag):
    chosen = get_flag(flag)
    if chosen is None:
        raise Http404
    households = flagged(households_visible_to(request.user), chosen.key)
    township = None
    township_id = id_or_none(request.GET.get("township"))
    if township_id is not None:
        township = get_object_or_404(townships_visible_to(request.user), pk=township_id)
        households = households.filter(village__township=township)
    households = households.order_by("village__township__code", "village__code", "number")
    page = Paginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
    open_cases = dict(
        MonitoringCase.objects.filter(
            household__in=[h.pk for h in page], state__in=svc.OPEN_STATES
        ).values_list("household_id", "pk")
    )
    for household in page:
        household.open_case_id = open_cases.get(household.pk)
    context = {
        "flag": chosen,
        "township": township,
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number),
        "can_register": svc.can_register_clue(request.user),
    }
    return render(request, "households/monitoring_risk_households.html", context)


# ------------------------------------------------------------------ one case


@login_required
def clue_create(request, pk):
    household = get_object_or_404(households_visible_to(request.user), pk=pk)
    if not svc.can_register_clue(request.user):
        raise PermissionDenied
    if (repeat := concurrency.resubmitted(request, household.get_absolute_url())) is not None:
        return redirect(repeat)
    form = ClueForm(request.POST or None, request.FILES or None, initial={"clue_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            with concurrency.submitted_once(request) as submission:
                if submission.done:  # its twin was stored while this one was checked
                    return redirect(submission.url or household.get_absolute_url())
                case = svc.case_register_clue(household=household, user=request.user, **form.cleaned_data)
                submission.url = case.get_absolute_url()
        except DomainError as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(request, _("Monitoring clue registered."))
            return redirect(case)
    open_case = household.monitoring_cases.filter(state__in=svc.OPEN_STATES).first()
    context = {
        "form": form,
        "household": household,
        "open_case": open_case,
        "notice_days": svc.notice_days(),
        "decision_days": svc.decision_days(),
    }
    return render(request, "households/monitoring_clue_form.html", context)


def _case_or_404(request, pk) -> MonitoringCase:
    return get_object_or_404(
        cases_visible_to(request.user).select_related(
            "household__village__township", "responsible_department", "created_by"
        ),
        pk=pk,
    )


def _action_forms(request, case, bound=None) -> list[dict]:
    today = timezone.localdate()
    forms = []
    for action in svc.allowed_actions(request.user, case):
        form_class, _service, label, style = ACTIONS[action]
        if bound and bound[0] == action:
            form = bound[1]
        else:
            initial = {"date": today, "notice_start": today}
            if action == "start_elimination":
                income = case.household.incomes.order_by("-year").first()
                initial.update(
                    post_income_per_capita=income.per_capita_income if income else None,
                    contact_name=case.contact_name,
                    contact_phone=case.contact_phone or case.household.phone,
                )
            form = form_class(prefix=action, initial=initial)
        forms.append(
            {
                "action": action,
                "form": form,
                "label": label,
                "style": style,
                "open": bound is not None and bound[0] == action,
            }
        )
    return forms


def _render_case(request, case, bound=None):
    steps = case.steps.select_related("actor").order_by("date", "pk")
    blockers = []
    if case.state == CaseState.RISK_OPEN:
        blockers = svc.criteria_preview(case, timezone.localdate())
    context = {
        "case": case,
        "household": case.household,
        "steps": steps,
        "risk_labels": [codes.label("monitor_risk", r) for r in case.risk_codes],
        "action_forms": _action_forms(request, case, bound),
        "version": concurrency.loaded_version(request, lambda: concurrency.record_version(case)),
        "blockers": blockers,
        "decision_days": svc.decision_days(),
        "days_since_clue": (timezone.localdate() - case.clue_date).days,
    }
    return render(request, "households/monitoring_detail.html", context)


def _moved_since_loaded(request, case) -> str:
    return concurrency.stale_message([case.history.all()], request.POST.get(concurrency.VERSION_FIELD))


@login_required
def monitoring_detail(request, pk):
    return _render_case(request, _case_or_404(request, pk))


@require_POST
@login_required
def monitoring_action(request, pk, action):
    case = _case_or_404(request, pk)
    if action not in ACTIONS:
        raise Http404
    if (repeat := concurrency.resubmitted(request, case.get_absolute_url())) is not None:
        return redirect(repeat)  # a double click: the first one was recorded
    if action not in svc.allowed_actions(request.user, case):
        if stale := _moved_since_loaded(request, case):  # someone took this step first: say who
            messages.error(request, stale)
            return redirect(case)
        raise PermissionDenied
    form_class, service, _label, _style = ACTIONS[action]
    form = form_class(request.POST, request.FILES, prefix=action)
    if form.is_valid():
        try:
            with concurrency.submitted_once(request) as submission:
                if not submission.done:
                    version = request.POST.get(concurrency.VERSION_FIELD)
                    service(case=case, user=request.user, **form.cleaned_data, expected_version=version)
                    submission.url = case.get_absolute_url()
        except DomainError as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(request, _("Step recorded."))
            return redirect(case)
    case.refresh_from_db()
    return _render_case(request, case, bound=(action, form))


@login_required
def step_attachment(request, pk):
    step = get_object_or_404(MonitoringStep.objects.filter(case__in=cases_visible_to(request.user)), pk=pk)
    return attachment_response(step.attachment)
