"""Recording a visit (走访): who may, which dates are possible, which files are accepted."""

from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from households import rules
from households.models import Household, Visit
from households.queries import households_visible_to
from povertycase.core import codes
from povertycase.errors import DomainError

VISIT_FIELDS = ("date", "kind", "done", "problems", "confirmed_by", "attachment")
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# extension -> the first bytes such a file starts with
ATTACHMENT_TYPES = {
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "pdf": (b"%PDF",),
}


class VisitInvalid(DomainError):
    """Problems keyed by field (None: the visit as a whole); nothing was saved."""

    def __init__(self):
        super().__init__(_("The visit was not saved: please correct the marked fields."))
        self.errors = defaultdict(list)

    def add(self, field, message) -> None:
        self.errors[field].append(message)


def can_record_visit(user, household: Household, *, in_scope: bool = False) -> bool:
    """The household's own helper, or a register cadre (command, township, village) in scope."""
    if not user.is_authenticated:
        return False
    if household.helper_id != user.pk and not rules.can_edit_register(user):
        return False
    return in_scope or households_visible_to(user).filter(pk=household.pk).exists()


def registered_on(household: Household):
    if household.identified_month:
        return household.identified_month
    return timezone.localdate(household.created_at) if household.created_at else None


@transaction.atomic
def visit_record(*, household: Household, user, data: dict) -> Visit:
    if not can_record_visit(user, household):
        raise DomainError(_("You may not record visits for this household."))
    problems = VisitInvalid()
    date = data.get("date")
    if not date:
        problems.add("date", _("Enter the visit date."))
    else:
        if date > timezone.localdate():
            problems.add("date", _("The visit date cannot be in the future."))
        start = registered_on(household)
        if start and date < start:
            problems.add(
                "date",
                _("The visit date cannot be before the household was registered (%(date)s).")
                % {"date": date_format(start, "Y-m-d")},
            )
    if data.get("kind") not in dict(codes.choices("visit_kind")):
        problems.add("kind", _("Choose the kind of visit."))
    if not (data.get("done") or "").strip():
        problems.add("done", _("Describe what was done during the visit."))
    attachment = data.get("attachment")
    if attachment:
        for message in attachment_problems(attachment):
            problems.add("attachment", message)
    if problems.errors:
        raise problems
    visit = Visit(
        household=household,
        helper_id=household.helper_id or user.pk,
        date=date,
        kind=data["kind"],
        done=data["done"].strip(),
        problems=(data.get("problems") or "").strip(),
        confirmed_by=(data.get("confirmed_by") or "").strip(),
        created_by=user,
    )
    if attachment:
        visit.attachment = attachment
    visit._history_user = user
    visit.save()
    return visit


def attachment_problems(upload) -> list[str]:
    name = (getattr(upload, "name", "") or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    if extension not in ATTACHMENT_TYPES:
        return [_("Only JPG, PNG or PDF files can be attached.")]
    if upload.size > MAX_ATTACHMENT_BYTES:
        return [_("The file is larger than 10 MB.")]
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(ATTACHMENT_TYPES[extension]):
        return [_("The file content does not match its type (JPG, PNG or PDF).")]
    return []
