"""Writes of petitions: every state change checks who, from which state and with what.

Each service is keyword-only and atomic, records a `Step` and a history row, and raises
DomainError with a message for the user when a rule refuses (nothing is saved then).
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from households.monitoring_flags import parameter
from households.queries import households_visible_to
from povertycase.core import codes
from povertycase.errors import DomainError
from rectification.evidence import check_evidence_file

from . import rules
from .models import OPEN_STATES, Attachment, Petition, Revisit, Satisfaction, State, Step

DEFAULT_DEADLINE_DAYS = 15


def _refuse(message: str, field: str | None = None):
    raise DomainError(message, field=field)


def _locked(petition: Petition) -> Petition:
    list(Petition.objects.select_for_update().filter(pk=petition.pk).values_list("pk"))
    petition.refresh_from_db()
    return petition


def _record(*, petition: Petition, user, action: str, to: str, note: str = "") -> Petition:
    before = petition.state
    petition.state = to
    petition._history_user = user
    petition._change_reason = note[:100] or action
    petition.save()
    Step.objects.create(
        petition=petition, actor=user, action=action, from_state=before, to_state=to, note=note
    )
    return petition


def deadline_days(channel: str) -> int:
    entry = codes.get("petition_channel", channel)
    name = entry.extra.get("deadline_parameter") if entry else None
    return int(parameter(name, DEFAULT_DEADLINE_DAYS)) if name else DEFAULT_DEADLINE_DAYS


def _next_number(day: datetime.date) -> str:
    prefix = f"XF{day.year}-"
    last = (
        Petition.objects.select_for_update()
        .filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def _unit_label(township, department) -> str:
    return str(township or department or _("County command office"))


def _save_files(*, petition: Petition, files, user) -> None:
    for upload in files:
        check_evidence_file(upload)
    for upload in files:
        Attachment.objects.create(
            petition=petition,
            file=upload,
            original_name=upload.name[:200],
            size=upload.size,
            uploaded_by=user,
        )


@transaction.atomic
def petition_register(*, user, data: dict, households=(), files=()) -> Petition:
    """登记. `data`: channel, date, anonymous, complainant_name/phone, category, content, and
    optionally handling_township / handling_department / handling_person."""
    if not rules.can_register(user):
        _refuse(_("Only the command office, a township or a village may register petitions."))
    today = timezone.localdate()
    channel, date = data.get("channel") or "", data.get("date")
    if not codes.get("petition_channel", channel):
        _refuse(_("Choose the channel the petition came through."), "channel")
    if date is None:
        _refuse(_("Enter the date the petition was received."), "date")
    if date > today:
        _refuse(_("The date received cannot be in the future."), "date")
    anonymous = bool(data.get("anonymous"))
    name = (data.get("complainant_name") or "").strip()
    if not anonymous and not name:
        _refuse(_("Enter the complainant's name, or mark the petition anonymous."), "complainant_name")
    if not data.get("category"):
        _refuse(_("Choose the category of the problem."), "category")
    content = (data.get("content") or "").strip()
    if not content:
        _refuse(_("Describe what the petition asks."), "content")
    households = list(households)
    visible = set(
        households_visible_to(user).filter(pk__in=[h.pk for h in households]).values_list("pk", flat=True)
    )
    if any(h.pk not in visible for h in households):
        _refuse(_("A linked household is outside your area."), "households")
    township, department = data.get("handling_township"), data.get("handling_department")
    if township and department:
        _refuse(_("Choose one handling unit: a township or a department."), "handling_township")
    own_township, _dept = rules.unit_of(user)
    profile = getattr(user, "profile", None)
    if own_township is None and profile is not None and profile.village_id:
        own_township = profile.village.township
    if not rules.is_command(user) and not (township or department):
        township = own_township
    area = households[0].village.township if households else (own_township or township)
    petition = Petition(
        number=_next_number(date),
        channel=channel,
        date=date,
        anonymous=anonymous,
        complainant_name="" if anonymous else name,
        complainant_phone="" if anonymous else (data.get("complainant_phone") or "").strip(),
        township=area,
        category=data["category"],
        content=content,
        handling_township=township,
        handling_department=department,
        handling_person=data.get("handling_person"),
        deadline=date + datetime.timedelta(days=deadline_days(channel)),
        registered_by=user,
    )
    petition.state = ""
    petition = _record(
        petition=petition,
        user=user,
        action="register",
        to=State.REGISTERED,
        note=_("Handling unit: %s") % _unit_label(township, department),
    )
    petition.households.set(households)
    _save_files(petition=petition, files=files, user=user)
    return petition


@transaction.atomic
def petition_accept(*, user, petition: Petition) -> Petition:
    petition = _locked(petition)
    if not rules.can_handle(user, petition):
        _refuse(_("Only the handling unit may work on this petition."))
    if petition.state != State.REGISTERED:
        _refuse(_("Only a newly registered petition can be accepted."))
    if petition.handling_person_id is None and not rules.is_command(user):
        petition.handling_person = user
    return _record(petition=petition, user=user, action="accept", to=State.HANDLING)


@transaction.atomic
def petition_transfer(
    *, user, petition: Petition, township=None, department=None, person=None, note=""
) -> Petition:
    """转办: hand the petition to another township or department."""
    petition = _locked(petition)
    if not rules.can_handle(user, petition):
        _refuse(_("Only the handling unit or the command office may transfer this petition."))
    if bool(township) == bool(department):
        _refuse(_("Choose one unit to transfer to: a township or a department."), "unit")
    if township == petition.handling_township and department == petition.handling_department:
        _refuse(_("The petition is already with this unit."), "unit")
    before = petition.handling_unit_label
    petition.handling_township, petition.handling_department = township, department
    petition.handling_person = person
    text = _("Transferred: %(old)s → %(new)s") % {"old": before, "new": township or department}
    if (note or "").strip():
        text = f"{text}. {note.strip()}"
    return _record(petition=petition, user=user, action="transfer", to=State.REGISTERED, note=text)


@transaction.atomic
def petition_return(*, user, petition: Petition, reason: str) -> Petition:
    """退回: the unit it was transferred to sends it back to the unit that transferred it."""
    petition = _locked(petition)
    if not rules.can_handle(user, petition):
        _refuse(_("Only the handling unit may return this petition."))
    if not (reason or "").strip():
        _refuse(_("Give the reason for returning the petition."), "reason")
    transfer = petition.steps.filter(action="transfer").order_by("-at", "-pk").first()
    if not transfer:
        _refuse(_("Only a transferred petition can be returned."))
    # The unit of whoever transferred it; the command office (no unit) takes it back itself.
    township, department = rules.unit_of(transfer.actor) if transfer.actor else (None, None)
    before = petition.handling_unit_label
    petition.handling_township, petition.handling_department, petition.handling_person = (
        township,
        department,
        None,
    )
    text = _("Returned: %(old)s → %(new)s. %(reason)s") % {
        "old": before,
        "new": _unit_label(township, department),
        "reason": reason.strip(),
    }
    return _record(petition=petition, user=user, action="return", to=State.REGISTERED, note=text)


@transaction.atomic
def petition_reply(*, user, petition: Petition, reply: str, date: datetime.date | None = None) -> Petition:
    petition = _locked(petition)
    if not rules.can_handle(user, petition):
        _refuse(_("Only the handling unit may reply to this petition."))
    if not (reply or "").strip():
        _refuse(_("Write the reply given to the complainant."), "reply")
    date = date or timezone.localdate()
    if date > timezone.localdate():
        _refuse(_("The reply date cannot be in the future."), "date")
    if date < petition.date:
        _refuse(_("The reply date cannot be before the petition was received."), "date")
    petition.reply, petition.replied_on = reply.strip(), date
    if petition.handling_person_id is None:
        petition.handling_person = user
    return _record(petition=petition, user=user, action="reply", to=State.REPLIED, note=reply.strip()[:200])


@transaction.atomic
def petition_revisit(
    *,
    user,
    petition: Petition,
    date: datetime.date,
    result: str,
    satisfaction: str,
    escalate: bool = False,
    campaign=None,
) -> Revisit:
    """回访. 不满意 sends it back to the handling unit, or with `escalate` to the command office."""
    petition = _locked(petition)
    if campaign is None and not rules.can_revisit(user, petition):
        _refuse(_("Only a replied petition can be revisited."))
    if satisfaction not in Satisfaction.values:
        _refuse(_("Record how satisfied the complainant is."), "satisfaction")
    if not (result or "").strip():
        _refuse(_("Record what the complainant said at the revisit."), "result")
    if date is None or date > timezone.localdate():
        _refuse(_("The revisit date cannot be in the future."), "date")
    if petition.replied_on and date < petition.replied_on:
        _refuse(_("The revisit cannot be before the reply."), "date")
    revisit = Revisit.objects.create(
        petition=petition,
        date=date,
        by=user,
        result=result.strip(),
        satisfaction=satisfaction,
        campaign=campaign,
    )
    petition.satisfaction = satisfaction
    if satisfaction != Satisfaction.DISSATISFIED:
        to = State.REVISITED if petition.state == State.REPLIED else petition.state
        _record(petition=petition, user=user, action="revisit", to=to, note=result.strip()[:200])
        return revisit
    petition.reopened_count += 1
    if escalate:
        petition.escalated = True
        petition.handling_township = petition.handling_department = petition.handling_person = None
        note = _("Dissatisfied, escalated to the command office: %s") % result.strip()
    else:
        note = _("Dissatisfied, reopened: %s") % result.strip()
    _record(petition=petition, user=user, action="reopen", to=State.HANDLING, note=note[:500])
    return revisit


@transaction.atomic
def petition_close(*, user, petition: Petition, note: str = "") -> Petition:
    """办结."""
    petition = _locked(petition)
    if not rules.can_close(user, petition):
        _refuse(_("Only a revisited petition can be concluded."))
    petition.closed_on = timezone.localdate()
    return _record(petition=petition, user=user, action="close", to=State.CLOSED, note=(note or "").strip())


def is_open(petition: Petition) -> bool:
    return petition.state in OPEN_STATES
