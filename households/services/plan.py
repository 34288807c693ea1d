"""The household's plan (一户一策): its assistance measures and yearly income records.

Every write checks the values first (nothing saved when one is wrong), keeps the history (who,
why) and is refused when it introduces a logic-check error the household did not have before.
Unlike the household form, these writes do change the rules' measure and income inputs (HH-013,
IN-002, IN-008 …), so every error rule counts here, except the village's own (VL).
"""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from households import rules
from households.checks import service as checks_service
from households.codefields import ACTIVE_STATUS
from households.models import AssistanceMeasure, Household, IncomeRecord, Member
from households.queries import households_visible_to
from povertycase.core import codes, concurrency
from povertycase.errors import DomainError

FIRST_INCOME_YEAR = 2014  # the register starts with the 2014 identification
INCOME_COMPONENTS = (
    "wage_income",
    "business_income",
    "transfer_income",
    "property_income",
    "business_expense",
)
MEASURE_FIELDS = (
    "category",
    "item",
    "year",
    "description",
    "start_date",
    "end_date",
    "amount",
    "department",
    "member",
    "status",
)
INCOME_FIELDS = ("year", *INCOME_COMPONENTS, "member_count_used")
STOPPED = "3"


class PlanInvalid(DomainError):
    """Problems keyed by field (None: the record as a whole); nothing was saved."""

    def __init__(self):
        super().__init__(_("Not saved: please correct the marked fields."))
        self.errors = defaultdict(list)

    def add(self, field_name, message) -> None:
        self.errors[field_name].append(message)


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def ensure_can_edit(user, household: Household) -> None:
    if not rules.can_edit_register(user) or not households_visible_to(user).filter(pk=household.pk).exists():
        raise DomainError(_("You may not change the plan of this household."))


# ------------------------------------------------------------------ logic checks


def plan_error_keys(household: Household) -> dict:
    return checks_service.error_keys(household, every_rule=True)


def _refuse_new_errors(household: Household, before: dict) -> None:
    checks_service.refuse_new_errors(household, before, every_rule=True)


def _with_history(obj, user, reason: str, default_reason: str):
    obj._history_user = user
    obj._change_reason = (reason or "").strip()[:100] or default_reason
    return obj


# ------------------------------------------------------------------ measures


def item_categories() -> dict[str, str]:
    """{measure item code: its category code} (code list measure_item, extra "category")."""
    return {entry.code: entry.extra.get("category", "") for entry in codes.entries("measure_item")}


def measure_problems(household: Household, data: dict, *, measure: AssistanceMeasure | None) -> PlanInvalid:
    problems = PlanInvalid()
    category, item = data.get("category") or "", data.get("item") or ""
    if not category:
        problems.add("category", _("Please choose the measure category."))
    elif codes.get("measure_category", category) is None:
        problems.add("category", _("Unknown measure category %(code)s.") % {"code": category})
    if item and codes.get("measure_item", item) is None:
        problems.add("item", _("Unknown measure %(code)s.") % {"code": item})
    elif item and category and item_categories().get(item) != category:
        problems.add(
            "item",
            _("The measure %(item)s does not belong to the category %(category)s.")
            % {
                "item": codes.label("measure_item", item),
                "category": codes.label("measure_category", category),
            },
        )
    if codes.get("measure_status", data.get("status") or "") is None:
        problems.add("status", _("Please choose the status of the measure."))
    start, end = data.get("start_date"), data.get("end_date")
    if start and end and end < start:
        problems.add("end_date", _("The end date cannot be before the start date."))
    amount = data.get("amount")
    if amount is not None and amount < 0:
        problems.add("amount", _("The amount cannot be negative."))
    year = data.get("year")
    if year is not None and not FIRST_INCOME_YEAR <= year <= timezone.localdate().year + 1:
        problems.add(
            "year",
            _("The year must be between %(first)s and %(last)s.")
            % {"first": FIRST_INCOME_YEAR, "last": timezone.localdate().year + 1},
        )
    _check_member(problems, household, data.get("member"), measure)
    return problems


def _check_member(problems: PlanInvalid, household: Household, member: Member | None, measure) -> None:
    """The member concerned is one of the household's members on the register (or unchanged)."""
    if member is None:
        return
    unchanged = measure is not None and measure.member_id == member.pk
    if member.household_id != household.pk:
        problems.add("member", _("%(name)s is not a member of this household.") % {"name": member.name})
    elif member.status != ACTIVE_STATUS and not unchanged:
        problems.add("member", _("%(name)s is no longer on the register.") % {"name": member.name})


def _save_checked(household: Household, obj, before: dict):
    with transaction.atomic():
        obj.save()
        _refuse_new_errors(household, before)
    return obj


@transaction.atomic
def measure_save(
    *,
    household: Household,
    user,
    data: dict,
    measure: AssistanceMeasure | None = None,
    reason: str = "",
    expected_version: str | None = None,
) -> AssistanceMeasure:
    """Create (measure None) or update one measure of `household`; refused if saved by someone else
    since `expected_version` (concurrency.record_version when the form was loaded)."""
    ensure_can_edit(user, household)
    if measure is not None and measure.household_id != household.pk:
        raise DomainError(_("This measure belongs to another household."))
    measure = concurrency.lock_current(measure, expected_version)
    problems = measure_problems(household, data, measure=measure)
    if problems.errors:
        raise problems
    before = plan_error_keys(household)
    measure = measure or AssistanceMeasure(household=household)
    for name in MEASURE_FIELDS:
        value = data.get(name)
        setattr(measure, name, "" if value is None and name in ("item", "description") else value)
    default = _("assistance measure updated") if measure.pk else _("assistance measure added")
    return _save_checked(household, _with_history(measure, user, reason, default), before)


def measure_stop(*, measure: AssistanceMeasure, user, reason: str = "") -> AssistanceMeasure:
    """Mark the measure stopped; it ends today unless it had already ended."""
    household = measure.household
    ensure_can_edit(user, household)
    before = plan_error_keys(household)
    today = timezone.localdate()
    measure.status = STOPPED
    if measure.end_date is None or measure.end_date > today:
        measure.end_date = max(today, measure.start_date) if measure.start_date else today
    return _save_checked(
        household, _with_history(measure, user, reason, _("assistance measure stopped")), before
    )


def measure_delete(*, measure: AssistanceMeasure, user, reason: str = "") -> None:
    household = measure.household
    ensure_can_edit(user, household)
    before = plan_error_keys(household)
    with transaction.atomic():
        _with_history(measure, user, reason, _("assistance measure deleted")).delete()
        _refuse_new_errors(household, before)


# ------------------------------------------------------------------ income


def active_member_count(household: Household) -> int:
    return household.members.filter(status=ACTIVE_STATUS).count()


def last_income_year() -> int:
    return timezone.localdate().year


def income_problems(household: Household, data: dict, *, record: IncomeRecord | None) -> PlanInvalid:
    problems = PlanInvalid()
    year = data.get("year")
    if year is None:
        problems.add("year", _("Please enter the year."))
    elif not FIRST_INCOME_YEAR <= year <= last_income_year():
        problems.add(
            "year",
            _("The year must be between %(first)s and %(last)s.")
            % {"first": FIRST_INCOME_YEAR, "last": last_income_year()},
        )
    elif household.incomes.filter(year=year).exclude(pk=getattr(record, "pk", None)).exists():
        problems.add(
            "year", _("The income of %(year)s is already recorded: edit that record.") % {"year": year}
        )
    for name in INCOME_COMPONENTS:
        value = data.get(name)
        if value is not None and value < 0:
            problems.add(name, _("%(field)s cannot be negative.") % {"field": _label(IncomeRecord, name)})
    count = data.get("member_count_used")
    if count is None or count < 1:
        problems.add("member_count_used", _("The household size used is at least 1."))
    return problems


@transaction.atomic
def income_save(
    *,
    household: Household,
    user,
    data: dict,
    record: IncomeRecord | None = None,
    reason: str = "",
    expected_version: str | None = None,
) -> IncomeRecord:
    """Create (record None) or update one year's income; net and per-capita are computed on save.
    Refused if saved by someone else since `expected_version` (concurrency.record_version)."""
    ensure_can_edit(user, household)
    if record is not None and record.household_id != household.pk:
        raise DomainError(_("This income record belongs to another household."))
    record = concurrency.lock_current(record, expected_version)
    problems = income_problems(household, data, record=record)
    if problems.errors:
        raise problems
    before = plan_error_keys(household)
    record = record or IncomeRecord(household=household)
    record.year = data["year"]
    for name in INCOME_COMPONENTS:
        setattr(record, name, data.get(name) or Decimal("0"))
    record.member_count_used = data["member_count_used"]
    default = _("income record updated") if record.pk else _("income record added")
    return _save_checked(household, _with_history(record, user, reason, default), before)


def income_preview(data: dict) -> tuple[Decimal, Decimal] | None:
    """(net, per-capita) the record would get, as the model computes them; None while incomplete."""
    if any(data.get(name) is None for name in INCOME_COMPONENTS) or not data.get("member_count_used"):
        return None
    record = IncomeRecord(**{name: data[name] for name in INCOME_COMPONENTS})
    record.member_count_used = data["member_count_used"]
    record.compute_totals()
    return record.net_income, record.per_capita_income
