"""Pages of members' work records (务工记录) and public-welfare posts (公益性岗位): add, change and
delete them from the household page's panel. Scope comes from households_visible_to only: a
record of a household outside it is a 404; a role that may not edit the register gets 403."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from povertycase.core import concurrency
from povertycase.errors import DomainError

from . import rules
from .checks import checks_for_household
from .checks import service as checks_service
from .forms_work import PublicPostForm, WorkRecordForm
from .models import Household, PublicPost, WorkRecord
from .queries import households_visible_to
from .services import work as work_service
from .services.work import WorkInvalid

WORK_RULES = ("MB-024", "MB-025", "MB-026", "MB-029", "MB-031", "MB-032")


@dataclass(frozen=True)
class Kind:
    """What differs between the two record kinds; the pages are the same."""

    model: type
    form: type
    save: object
    delete: object
    arg: str  # the service's keyword for the record
    title_new: str
    title_edit: str
    saved: str
    deleted: str


KINDS = {
    "work": Kind(
        WorkRecord,
        WorkRecordForm,
        work_service.work_record_save,
        work_service.work_record_delete,
        "record",
        _lazy("Add a work record"),
        _lazy("Change the work record"),
        _lazy("Work record of %(name)s saved."),
        _lazy("Work record of %(name)s deleted."),
    ),
    "post": Kind(
        PublicPost,
        PublicPostForm,
        work_service.public_post_save,
        work_service.public_post_delete,
        "post",
        _lazy("Add a public-welfare post"),
        _lazy("Change the public-welfare post"),
        _lazy("Public-welfare post of %(name)s saved."),
        _lazy("Public-welfare post of %(name)s deleted."),
    ),
}


# ------------------------------------------------------------------ household page panel


@dataclass
class MemberWork:
    member: object
    records: list = field(default_factory=list)
    posts: list = field(default_factory=list)


def work_panel(household, user) -> dict:
    """Members with work records or posts, in member order (two queries)."""
    by_member: dict[int, MemberWork] = {}
    records = WorkRecord.objects.filter(member__household=household).select_related("member")
    for record in records.order_by("member__pk", "start_date", "pk"):
        by_member.setdefault(record.member_id, MemberWork(record.member)).records.append(record)
    posts = PublicPost.objects.filter(member__household=household).select_related("member")
    for post in posts.order_by("member__pk", "hired_on", "pk"):
        by_member.setdefault(post.member_id, MemberWork(post.member)).posts.append(post)
    rows = sorted(by_member.values(), key=lambda row: (row.member.relation, row.member.pk))
    return {"work_rows": rows, "can_edit_work": rules.can_edit_register(user)}


# ------------------------------------------------------------------ pages


def _editable_household(request, pk) -> Household:
    household = get_object_or_404(households_visible_to(request.user), pk=pk)
    if not work_service.can_edit_work(request.user, household, in_scope=True):
        raise PermissionDenied
    return household


def _editable_record(request, kind: Kind, pk):
    scope = households_visible_to(request.user).values("pk")
    rows = kind.model.objects.filter(member__household__in=scope).select_related("member__household")
    record = get_object_or_404(rows, pk=pk)
    if not work_service.can_edit_work(request.user, record.member.household, in_scope=True):
        raise PermissionDenied
    return record


@login_required
@require_http_methods(["GET", "POST"])
def work_record_create(request, pk):
    return _edit(request, KINDS["work"], _editable_household(request, pk), None)


@login_required
@require_http_methods(["GET", "POST"])
def work_record_update(request, pk):
    record = _editable_record(request, KINDS["work"], pk)
    return _edit(request, KINDS["work"], record.member.household, record)


@login_required
@require_http_methods(["GET", "POST"])
def work_record_delete(request, pk):
    return _delete(request, KINDS["work"], _editable_record(request, KINDS["work"], pk))


@login_required
@require_http_methods(["GET", "POST"])
def public_post_create(request, pk):
    return _edit(request, KINDS["post"], _editable_household(request, pk), None)


@login_required
@require_http_methods(["GET", "POST"])
def public_post_update(request, pk):
    post = _editable_record(request, KINDS["post"], pk)
    return _edit(request, KINDS["post"], post.member.household, post)


@login_required
@require_http_methods(["GET", "POST"])
def public_post_delete(request, pk):
    return _delete(request, KINDS["post"], _editable_record(request, KINDS["post"], pk))


def _back(household) -> str:
    # No #work anchor: the page opens at the top, where the saved message and warnings show.
    return household.get_absolute_url()


def _edit(request, kind: Kind, household: Household, record):
    if (repeat := concurrency.resubmitted(request, _back(household))) is not None:
        return redirect(repeat)
    data = request.POST if request.method == "POST" else None
    initial = {"member": request.GET.get("member")} if record is None else None
    form = kind.form(data, instance=record, household=household, initial=initial)
    version = concurrency.loaded_version(request, lambda: concurrency.record_version(record))
    if data is not None and form.is_valid():
        try:
            target = {kind.arg: record, "expected_version": version if record else None}
            with concurrency.submitted_once(request) as submission:
                if submission.done:
                    return redirect(_back(household))
                saved = kind.save(household=household, user=request.user, data=form.cleaned_data, **target)
                submission.url = _back(household)
        except WorkInvalid as problems:
            form.add_error(None, problems.message)
            for name, texts in problems.errors.items():
                for text in texts:
                    form.add_error(name if name in form.fields else None, text)
        except checks_service.ChecksRefused as refused:
            form.add_error(None, _("Not saved: the logic checks found errors. Correct them and save again."))
            for text in refused.messages:
                form.add_error(None, text)
        except DomainError as refusal:
            form.add_error(None, refusal.message)
        else:
            _warn(request, household, saved.member)
            messages.success(request, kind.saved % {"name": saved.member.name})
            return redirect(_back(household))
    context = {
        "household": household,
        "form": form,
        "title": kind.title_edit if record else kind.title_new,
        "back": _back(household),
        "version": version,
    }
    return render(request, "households/work_form.html", context)


def _warn(request, household, member) -> None:
    """The member's open work-related violations after the save (warnings such as a post at 70+)."""
    for violation in checks_for_household(household):
        if violation.rule_id in WORK_RULES and violation.member_id == member.pk:
            messages.warning(request, f"{violation.rule_id} {violation.message}")


def _delete(request, kind: Kind, record):
    household = record.member.household
    if request.method == "POST":
        name = record.member.name
        try:
            kind.delete(user=request.user, **{kind.arg: record})
        except DomainError as refusal:
            messages.error(request, refusal.message)
        else:
            checks_for_household(household)  # violations about the deleted row resolve now
            messages.success(request, kind.deleted % {"name": name})
        return redirect(_back(household))
    context = {"household": household, "record": record, "kind": "work" if kind is KINDS["work"] else "post"}
    context["back"] = _back(household)
    return render(request, "households/work_confirm_delete.html", context)
