"""No silent overwrite: edit forms carry the version they were loaded at, create forms a one-time token.

A version is the newest history row id of each history source of a record (the record itself and
the child rows its form edits), joined with dots. A save whose expected version is older than the
current one is refused with a message naming who changed what since; nothing of it is saved.
"""

import datetime
import uuid
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from povertycase.errors import DomainError

VERSION_FIELD = "version"
SUBMISSION_FIELD = "submission"
TOKEN_LIFETIME = datetime.timedelta(days=2)
UNTRACKED = {"updated_at", "created_at", "created_by", "import_batch", "seq"}


class StaleVersion(DomainError):
    """Someone saved the record after the form was loaded."""


def version_of(sources) -> str:
    """The current version of the records behind `sources` (history querysets), one query each."""
    return ".".join(str(source.aggregate(newest=Max("history_id"))["newest"] or 0) for source in sources)


def record_version(record) -> str:
    """The version of one record without children ("" for a record not saved yet)."""
    return version_of([record.history.all()]) if record is not None and record.pk else ""


def lock_current(record, expected: str | None):
    """The record read again under a row lock, refused if saved since `expected` (see record_version)."""
    if record is None or not record.pk:
        return record
    locked = type(record)._default_manager.select_for_update().get(pk=record.pk)
    ensure_current([locked.history.all()], expected)
    return locked


def loaded_version(request, current) -> str:
    """The version a form carries: the posted one when saving, else `current()`.

    A POST without the field at all (a script, not a page of ours) is not checked: None."""
    if request.method == "POST":
        return request.POST.get(VERSION_FIELD)
    return current()


def ensure_current(sources, expected: str | None) -> None:
    """Refuse when `expected` is older than the current version; None skips the check (no form)."""
    if expected is None:
        return
    seen = _parse(expected, len(sources))
    changes = []
    for source, newest_seen in zip(sources, seen, strict=True):
        changes += _changes(source.filter(history_id__gt=newest_seen))
    if changes:
        raise StaleVersion(refusal(changes))


def stale_message(sources, expected: str | None) -> str:
    """The refusal ensure_current would raise, or "" — for pages whose form changes shape once the
    record moved on (the next step), where the refusal must come before the form is validated."""
    try:
        ensure_current(sources, expected)
    except StaleVersion as stale:
        return stale.message
    return ""


@dataclass
class Change:
    who: str
    when: object
    what: str


def refusal(changes: list[Change]) -> str:
    changes.sort(key=lambda c: c.when)
    lines = [
        _("%(who)s at %(when)s: %(what)s")
        % {"who": c.who, "when": date_format(timezone.localtime(c.when), "Y-m-d H:i"), "what": c.what}
        for c in changes
    ]
    return _(
        "Not saved: this record was changed after you opened the form (%(changes)s). "
        "Open it again to see the current values, then make your changes."
    ) % {"changes": "；".join(lines)}


def _parse(expected: str, count: int) -> list[int]:
    parts = expected.split(".") if expected else []
    try:
        values = [int(p) for p in parts]
    except ValueError:
        values = []
    if len(values) != count:  # a missing or mangled token: any history at all counts as newer
        return [0] * count
    return values


def _changes(rows) -> list[Change]:
    from households.history import display_name

    changes = []
    for row in rows.select_related("history_user").order_by("history_id"):
        model = row.instance_type
        who = display_name(row.history_user) if row.history_user else _("system")
        record = str(model._meta.verbose_name)
        if row.history_type == "+":
            what = _("added %(record)s") % {"record": record}
        elif row.history_type == "-":
            what = _("deleted %(record)s") % {"record": record}
        else:
            what = _changed_fields(row, model, record)
            if what is None:
                continue
        changes.append(Change(who, row.history_date, what))
    return changes


def _changed_fields(row, model, record) -> str | None:
    previous = row.prev_record
    if previous is None:
        return _("changed %(record)s") % {"record": record}
    names = [
        str(model._meta.get_field(name).verbose_name)
        for name in row.diff_against(previous).changed_fields
        if name not in UNTRACKED
    ]
    if not names:
        return None
    return _("changed %(record)s: %(fields)s") % {"record": record, "fields": "、".join(names)}


def new_submission_token() -> str:
    return uuid.uuid4().hex


@dataclass
class Submission:
    done: bool
    url: str = ""


def resubmitted(request, fallback) -> str | None:
    """Where a repeat of an already stored create form goes (its first result, else `fallback`);
    None for a first submission. Checked before the form is validated, as the first one may have
    made the repeat invalid (a number now taken)."""
    from povertycase.core.models import SubmissionToken

    token = request.POST.get(SUBMISSION_FIELD, "")[:64] if request.method == "POST" else ""
    if not token:
        return None
    row = SubmissionToken.objects.filter(token=token, user=request.user).first()
    if row is None:
        return None
    return row.result_url or fallback


@contextmanager
def submitted_once(request):
    """Runs the body once per create form: a repeat POST of the same token gets `done` and the first
    result's `url`, and must redirect there. Failures roll the token back so the form can be sent again.

        with submitted_once(request) as submission:
            if submission.done:
                return redirect(submission.url or fallback)
            record = service(...)
            submission.url = record_url
    """
    from povertycase.core.models import SubmissionToken

    token = request.POST.get(SUBMISSION_FIELD, "")[:64]
    with transaction.atomic():
        if not token:
            yield Submission(done=False)
            return
        try:
            with transaction.atomic():
                row = SubmissionToken.objects.create(token=token, user=request.user)
        except IntegrityError:  # a concurrent twin waits on the unique index until the first commits
            row = SubmissionToken.objects.filter(token=token, user=request.user).first()
            yield Submission(done=True, url=row.result_url if row else "")
            return
        # The user's tokens of earlier days can no longer be posted twice by a click: keep the table small.
        SubmissionToken.objects.filter(
            user=request.user, created_at__lt=timezone.now() - TOKEN_LIFETIME
        ).delete()
        submission = Submission(done=False)
        yield submission
        row.result_url = str(submission.url)[:300]
        row.save(update_fields=["result_url"])
