"""Writes of the ledger: every state change checks who, from which state and with what.

Each service is keyword-only and atomic, records a `Transition` and a history row, and raises
DomainError with a message for the user when a rule refuses.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from povertycase.core import codes, concurrency
from povertycase.errors import DomainError

from . import rules
from .evidence import check_evidence_file
from .models import Evidence, Item, Kind, Level, ProgressUpdate, Status, Transition

EDITABLE_FIELDS = [
    "number",
    "external_number",
    "source",
    "source_reference",
    "category",
    "description",
    "level",
    "target_township",
    "target_village",
    "target_household",
    "target_department",
    "responsible_township",
    "responsible_department",
    "responsible_person",
    "supervising_leader",
    "cooperating_units",
    "measures",
    "kind",
    "deadline",
]


def _refuse(message: str, field: str | None = None):
    raise DomainError(message, field=field)


def _locked(item: Item) -> Item:
    """Lock the row, then reload the caller's instance so it sees the state it will change."""
    list(Item.objects.select_for_update().filter(pk=item.pk).values_list("pk"))
    item.refresh_from_db()
    return item


def _record(*, item: Item, user, action: str, to: str, reason: str = "", save_fields=None) -> Item:
    before = item.status
    item.status = to
    item._history_user = user
    item._change_reason = reason or action
    item.save()
    Transition.objects.create(
        item=item, actor=user, action=action, from_status=before, to_status=to, reason=reason
    )
    return item


def _fill_target(item: Item) -> None:
    """Keep only the target fields of the level, and fill the regions above a village/household."""
    level = item.level
    if level == Level.HOUSEHOLD and item.target_household_id:
        item.target_village = item.target_household.village
    if level in (Level.HOUSEHOLD, Level.VILLAGE) and item.target_village_id:
        item.target_township = item.target_village.township
    if level not in (Level.HOUSEHOLD,):
        item.target_household = None
    if level not in (Level.HOUSEHOLD, Level.VILLAGE):
        item.target_village = None
    if level not in (Level.HOUSEHOLD, Level.VILLAGE, Level.TOWNSHIP):
        item.target_township = None
    if level != Level.DEPARTMENT:
        item.target_department = None


def _validate(item: Item) -> None:
    if bool(item.responsible_township_id) == bool(item.responsible_department_id):
        _refuse(_("Choose exactly one responsible unit: a township or a department."), "responsible_township")
    if item.kind != Kind.LONG_TERM and item.deadline is None:
        _refuse(_("A deadline is required unless the item is long-term."), "deadline")
    if not codes.get("rect_source", item.source):
        _refuse(_("Choose the source of the problem."), "source")
    needed = {
        Level.TOWNSHIP: ("target_township", item.target_township_id),
        Level.VILLAGE: ("target_village", item.target_village_id),
        Level.HOUSEHOLD: ("target_household", item.target_household_id),
        Level.DEPARTMENT: ("target_department", item.target_department_id),
    }.get(item.level)
    if needed and not needed[1]:
        _refuse(
            _("Choose the %(level)s the problem concerns.") % {"level": item.get_level_display()}, needed[0]
        )
    item.full_clean(exclude=["created_at"])


@transaction.atomic
def item_create(*, user, data: dict, from_finding: bool = False) -> Item:
    """`from_finding`: an inspector opens the item for an inspection finding (DOMAIN.md §7.2)."""
    if not (rules.can_manage(user) or (from_finding and rules.is_supervisor(user))):
        _refuse(_("Only the county command office may add ledger items."))
    item = Item(**{k: v for k, v in data.items() if k in EDITABLE_FIELDS})
    _fill_target(item)
    _validate(item)
    item.status = ""
    return _record(item=item, user=user, action="create", to=Status.PENDING)


@transaction.atomic
def item_update(*, user, item: Item, data: dict, expected_version: str | None = None) -> Item:
    """`expected_version` (concurrency.record_version when the form was loaded): refused if stale."""
    item = _locked(item)
    concurrency.ensure_current([item.history.all()], expected_version)
    if not (rules.can_manage(user) and "edit" in rules.allowed_actions(user, item)):
        _refuse(_("This item can no longer be edited."))
    changed = [f for f in EDITABLE_FIELDS if f in data and getattr(item, f) != data[f]]
    for field in changed:
        setattr(item, field, data[field])
    if not changed:
        return item
    _fill_target(item)
    _validate(item)
    labels = "、".join(str(Item._meta.get_field(f).verbose_name) for f in changed)
    return _record(item=item, user=user, action="edit", to=item.status, reason=_("Changed: %s") % labels)


@transaction.atomic
def item_assign(*, user, items, township=None, department=None, person=None) -> int:
    """Bulk assignment of the responsible unit (and optionally person) to open items."""
    if not rules.can_manage(user):
        _refuse(_("Only the county command office may assign items."))
    if bool(township) == bool(department):
        _refuse(_("Choose exactly one responsible unit: a township or a department."), "unit")
    count = 0
    for item in Item.objects.select_for_update().filter(pk__in=[i.pk for i in items]).order_by("pk"):
        if item.status not in (Status.PENDING, Status.IN_PROGRESS, Status.SUBMITTED):
            _refuse(_("Item %s is closed or withdrawn and cannot be reassigned.") % item.number)
        before = item.responsible_unit
        item.responsible_township, item.responsible_department = township, department
        if person is not None:
            item.responsible_person = person
        note = _("Responsible unit: %(old)s → %(new)s") % {"old": before, "new": township or department}
        _record(item=item, user=user, action="assign", to=item.status, reason=note)
        count += 1
    return count


@transaction.atomic
def item_start(*, user, item: Item) -> Item:
    item = _locked(item)
    if not rules.is_responsible(user, item):
        _refuse(_("Only the responsible person or unit may work on this item."))
    if item.status != Status.PENDING:
        _refuse(_("Only an item waiting for rectification can be started."))
    return _record(item=item, user=user, action="start", to=Status.IN_PROGRESS)


def _save_files(*, item: Item, update, files, user) -> list[Evidence]:
    for upload in files:
        check_evidence_file(upload)
    return [
        Evidence.objects.create(
            item=item,
            update=update,
            file=upload,
            original_name=upload.name[:200],
            size=upload.size,
            uploaded_by=user,
        )
        for upload in files
    ]


@transaction.atomic
def item_add_progress(
    *, user, item: Item, date: datetime.date, text: str, percent: int, files=()
) -> ProgressUpdate:
    item = _locked(item)
    if not rules.can_work(user, item):
        _refuse(_("You may not report progress on this item in its current state."))
    if not (text or "").strip():
        _refuse(_("Describe the progress made."), "text")
    if not 0 <= int(percent) <= 100:
        _refuse(_("The percentage must be between 0 and 100."), "percent")
    if date > timezone.localdate():
        _refuse(_("The date of a progress update cannot be in the future."), "date")
    update = ProgressUpdate.objects.create(
        item=item, date=date, text=text.strip(), percent=percent, author=user
    )
    _save_files(item=item, update=update, files=files, user=user)
    item.progress_percent = percent
    item.last_progress_on = max(date, item.last_progress_on or date)
    action = "start" if item.status == Status.PENDING else "progress"
    _record(item=item, user=user, action=action, to=Status.IN_PROGRESS, reason=text.strip()[:200])
    return update


@transaction.atomic
def item_request_closing(*, user, item: Item, text: str = "", files=()) -> Item:
    item = _locked(item)
    if not rules.can_work(user, item):
        _refuse(_("You may not ask to close this item in its current state."))
    _save_files(item=item, update=None, files=files, user=user)
    if not item.evidence.exists():
        _refuse(_("Attach at least one evidence file before asking for closing."), "files")
    return _record(
        item=item, user=user, action="request_closing", to=Status.SUBMITTED, reason=(text or "").strip()
    )


def _verifier_check(user, item: Item, verb: str) -> None:
    if not rules.is_supervisor(user):
        _refuse(_("Only the command office or an inspector may %s an item.") % verb)
    if item.responsible_person_id == user.pk:
        _refuse(_("The responsible person cannot verify their own item."))
    if item.status != Status.SUBMITTED:
        _refuse(_("Only an item whose closing was requested can be verified."))


@transaction.atomic
def item_send_back(*, user, item: Item, reason: str) -> Item:
    item = _locked(item)
    _verifier_check(user, item, _("send back"))
    if not (reason or "").strip():
        _refuse(_("Give the reason for sending the item back."), "reason")
    return _record(item=item, user=user, action="send_back", to=Status.IN_PROGRESS, reason=reason.strip())


@transaction.atomic
def item_close(*, user, item: Item, document: str = "", note: str = "") -> Item:
    item = _locked(item)
    _verifier_check(user, item, _("close"))
    item.closed_at, item.closed_by = timezone.now(), user
    item.closing_document = (document or "").strip()
    item.progress_percent = 100
    return _record(item=item, user=user, action="close", to=Status.CLOSED, reason=(note or "").strip())


@transaction.atomic
def item_withdraw(*, user, item: Item, reason: str) -> Item:
    item = _locked(item)
    if not rules.can_withdraw(user, item):
        _refuse(_("Only the command office may withdraw an open item."))
    if not (reason or "").strip():
        _refuse(_("Give the reason for withdrawing the item."), "reason")
    return _record(item=item, user=user, action="withdraw", to=Status.WITHDRAWN, reason=reason.strip())


@transaction.atomic
def item_reopen(*, user, item: Item, reason: str) -> Item:
    """A closed problem found again: back to work, counted as a repeat (DOMAIN.md §6.4)."""
    item = _locked(item)
    if not rules.can_reopen(user, item):
        _refuse(_("Only the command office or an inspector may reopen a closed item."))
    if not (reason or "").strip():
        _refuse(_("Give the reason for reopening the item."), "reason")
    item.reopened_count += 1
    item.closed_at, item.closed_by = None, None
    return _record(item=item, user=user, action="reopen", to=Status.IN_PROGRESS, reason=reason.strip())
