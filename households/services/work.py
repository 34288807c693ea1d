"""A member's work records (务工记录) and public-welfare posts (公益性岗位): who may change them,
which values hold together (what MB-024, MB-025 and MB-029 would report as errors is refused
here), and saves and deletes that keep the trail and refuse new logic-check errors."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from households import rules
from households.checks import service as checks_service
from households.checks.base import years_before
from households.checks.registry import get_rule
from households.checks.settings import effective_settings
from households.codefields import ACTIVE_STATUS
from households.models import Household, Member, PublicPost, WorkRecord
from households.queries import households_visible_to
from povertycase.core import concurrency
from povertycase.errors import DomainError

WORK_FIELDS = ("member", "start_date", "end_date", "county", "company", "industry", "channel", "monthly_wage")
POST_FIELDS = ("member", "post_type", "hired_on", "months", "monthly_pay")
MAX_MONTHS = 12


class WorkInvalid(DomainError):
    """Problems keyed by field (None: the record as a whole); nothing was saved."""

    def __init__(self):
        super().__init__(_("Not saved: please correct the marked fields."))
        self.errors = defaultdict(list)

    def add(self, field_name, message) -> None:
        self.errors[field_name].append(message)


def can_edit_work(user, household: Household, *, in_scope: bool = False) -> bool:
    """Register cadres, for the households in their scope."""
    if not rules.can_edit_register(user):
        return False
    return in_scope or households_visible_to(user).filter(pk=household.pk).exists()


def rule_params(rule_id: str) -> dict:
    """The rule's effective parameters (a county's settings apply to the forms too)."""
    item = get_rule(rule_id)
    return effective_settings([item])[item.id].params


def _birthday(member: Member, years: int) -> datetime.date | None:
    if member.birth_date is None:
        return None
    return years_before(member.birth_date, -years)


def _age(member: Member, today: datetime.date) -> int | None:
    if member.birth_date is None:
        return None
    born = member.birth_date
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _member_of(household: Household, member: Member | None, problems: WorkInvalid) -> Member | None:
    if member is None:
        problems.add("member", _("Choose the member."))
        return None
    if member.household_id != household.pk or member.status != ACTIVE_STATUS:
        problems.add("member", _("Choose a member of this household who is still on the register."))
        return None
    return member


# ------------------------------------------------------------------ work records


def work_record_problems(
    *, household: Household, data: dict, record: WorkRecord | None = None, today: datetime.date | None = None
) -> WorkInvalid:
    """Everything MB-029 would report as an error, refused before saving."""
    today = today or timezone.localdate()
    problems = WorkInvalid()
    member = _member_of(household, data.get("member"), problems)
    start, end = data.get("start_date"), data.get("end_date")
    params = rule_params("MB-029")
    of_age = _birthday(member, params["labour_age"]) if member is not None else None
    if start is None:
        problems.add("start_date", _("Enter the date the work started."))
    elif start > today:
        problems.add("start_date", _("The start cannot be in the future."))
    elif of_age is not None and start < of_age:
        problems.add(
            "start_date",
            _("%(name)s was not yet %(n)s on %(date)s (born %(born)s).")
            % {"name": member.name, "n": params["labour_age"], "date": start, "born": member.birth_date},
        )
    if start and end and end < start:
        problems.add("end_date", _("The end cannot be before the start."))
    if not (data.get("county") or "").strip():
        problems.add("county", _("Enter the county where the member works."))
    wage = data.get("monthly_wage")
    if wage is not None and not (params["min_wage"] <= wage <= params["max_wage"]):
        problems.add(
            "monthly_wage",
            _("A monthly wage must be between %(low)s and %(high)s 元.")
            % {"low": params["min_wage"], "high": params["max_wage"]},
        )
    if member is not None and start is not None and not problems.errors.get("end_date"):
        _period_problems(member, start, end, record, problems)
    return problems


def _period_problems(member, start, end, record, problems: WorkInvalid) -> None:
    others = WorkRecord.objects.filter(member=member, start_date__isnull=False)
    if record is not None and record.pk:
        others = others.exclude(pk=record.pk)
    if end is None and others.filter(end_date__isnull=True).exists():
        problems.add(
            "end_date",
            _("%(name)s already has a work record without an end: enter this record's end.")
            % {"name": member.name},
        )
        return
    overlapping = others.filter(Q(end_date__isnull=True) | Q(end_date__gt=start))
    if end is not None:
        overlapping = overlapping.filter(start_date__lt=end)
    clash = overlapping.order_by("start_date").first()
    if clash is not None:
        problems.add(
            "start_date",
            _("This period overlaps %(name)s's work of %(period)s.")
            % {"name": member.name, "period": f"{clash.start_date} – {clash.end_date or _('now')}"},
        )


@transaction.atomic
def work_record_save(
    *, household: Household, user, data: dict, record: WorkRecord | None = None, expected_version=None
) -> WorkRecord:
    """Create or update a work record; nothing is written when a value or a logic check refuses it,
    or when the record was saved by someone else since `expected_version` (concurrency.record_version)."""
    if not can_edit_work(user, household):
        raise DomainError(_("You may not edit the work records of this household."))
    record = concurrency.lock_current(record, expected_version)
    problems = work_record_problems(household=household, data=data, record=record)
    if problems.errors:
        raise problems
    before = checks_service.error_keys(household)
    created = record is None
    record = record or WorkRecord(created_by=user)
    for name in WORK_FIELDS:
        value = data.get(name)
        setattr(record, name, value.strip() if isinstance(value, str) else value)
    record._history_user = user
    record._change_reason = _("work record added") if created else _("work record changed")
    record.save()
    checks_service.refuse_new_errors(household, before)
    return record


@transaction.atomic
def work_record_delete(*, record: WorkRecord, user) -> None:
    household = record.member.household
    if not can_edit_work(user, household):
        raise DomainError(_("You may not edit the work records of this household."))
    record._history_user = user
    record._change_reason = _("work record deleted")
    record.delete()


# ------------------------------------------------------------------ public-welfare posts


def public_post_problems(
    *, household: Household, data: dict, post: PublicPost | None = None, today: datetime.date | None = None
) -> WorkInvalid:
    """Everything MB-024 and MB-025 would report as an error, refused before saving."""
    today = today or timezone.localdate()
    problems = WorkInvalid()
    member = _member_of(household, data.get("member"), problems)
    if not data.get("post_type"):
        problems.add("post_type", _("Choose the post."))
    hired = data.get("hired_on")
    if hired is None:
        problems.add("hired_on", _("Enter the month the member was hired."))
    elif hired > today:
        problems.add("hired_on", _("The hiring month cannot be in the future."))
    months = data.get("months")
    if months is None or not 1 <= months <= MAX_MONTHS:
        problems.add("months", _("Months employed must be between 1 and %(n)s.") % {"n": MAX_MONTHS})
    pay = data.get("monthly_pay")
    if pay is not None and pay < Decimal(0):
        problems.add("monthly_pay", _("The monthly subsidy cannot be negative."))
    if member is not None:
        _holder_problems(member, post, today, problems)
    return problems


def _holder_problems(member: Member, post, today, problems: WorkInvalid) -> None:
    age_params, count_params = rule_params("MB-024"), rule_params("MB-025")
    age = _age(member, today)
    if age is not None and age < age_params["min_age"]:
        problems.add(
            "member",
            _("%(name)s is %(age)s: a public-welfare post needs a member aged %(n)s or over.")
            % {"name": member.name, "age": age, "n": age_params["min_age"]},
        )
    held = PublicPost.objects.filter(member=member).exclude(post_type="")
    if post is not None and post.pk:
        held = held.exclude(pk=post.pk)
    if held.count() >= count_params["max_posts"]:
        problems.add(
            "member",
            _("%(name)s already holds %(n)s public-welfare posts, the most one member may hold.")
            % {"name": member.name, "n": count_params["max_posts"]},
        )


@transaction.atomic
def public_post_save(
    *, household: Household, user, data: dict, post: PublicPost | None = None, expected_version=None
) -> PublicPost:
    """Create or update a post; nothing is written when a value or a logic check refuses it, or when
    the post was saved by someone else since `expected_version` (concurrency.record_version)."""
    if not can_edit_work(user, household):
        raise DomainError(_("You may not edit the work records of this household."))
    post = concurrency.lock_current(post, expected_version)
    problems = public_post_problems(household=household, data=data, post=post)
    if problems.errors:
        raise problems
    before = checks_service.error_keys(household)
    created = post is None
    post = post or PublicPost(created_by=user)
    for name in POST_FIELDS:
        setattr(post, name, data.get(name))
    post._history_user = user
    post._change_reason = _("public-welfare post added") if created else _("public-welfare post changed")
    post.save()
    checks_service.refuse_new_errors(household, before)
    return post


@transaction.atomic
def public_post_delete(*, post: PublicPost, user) -> None:
    household = post.member.household
    if not can_edit_work(user, household):
        raise DomainError(_("You may not edit the work records of this household."))
    post._history_user = user
    post._change_reason = _("public-welfare post deleted")
    post.delete()
