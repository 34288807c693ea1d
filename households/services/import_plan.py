"""The checks of an import that need the database: regions, existing records, the user's scope.

`import_plan_build` turns a parsed workbook into a plan (which village each household goes
to, which existing household it updates) plus row errors, without writing anything.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from povertycase.accounts.models import Role, role_of

from ..excel.results import ParsedHousehold, RegisterFile, problem, sort_problems
from ..models import County, Household, Member, Township, Village

CHUNK = 500


@dataclass
class PlannedHousehold:
    parsed: ParsedHousehold
    region: tuple[str, str, str]  # county, township, village names
    existing: Household | None = None


@dataclass
class ImportPlan:
    items: list[PlannedHousehold] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    counties: dict[str, County] = field(default_factory=dict)
    townships: dict[tuple[str, str], Township] = field(default_factory=dict)
    villages: dict[tuple[str, str, str], Village] = field(default_factory=dict)
    new_regions: list[tuple[str, str, str, str]] = field(default_factory=list)  # names + household number

    @property
    def county_names(self) -> list[str]:
        return sorted({item.region[0] for item in self.items})


def _chunks(values):
    values = list(values)
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def import_plan_build(
    *, register: RegisterFile, user=None, update_existing: bool = False, create_regions: bool = False
) -> ImportPlan:
    plan = ImportPlan(
        items=[PlannedHousehold(h, (h.county, h.township, h.village)) for h in register.households]
    )
    _resolve_regions(plan, create_regions)
    _check_scope(plan, user)
    _match_existing(plan, user, update_existing)
    plan.errors = sort_problems(plan.errors)
    return plan


def _resolve_regions(plan: ImportPlan, create_regions: bool) -> None:
    names = {item.region for item in plan.items}
    plan.counties = {c.name: c for c in County.objects.filter(name__in={n[0] for n in names})}
    for township in Township.objects.filter(county__name__in=plan.counties).select_related("county"):
        plan.townships[(township.county.name, township.name)] = township
    for village in Village.objects.filter(township__county__name__in=plan.counties).select_related(
        "township__county"
    ):
        plan.villages[(village.township.county.name, village.township.name, village.name)] = village
    reported = set()
    for item in plan.items:
        county, township, village = item.region
        if item.region in plan.villages:
            continue
        if create_regions:
            if item.region not in reported:
                plan.new_regions.append((*item.region, item.parsed.number))
                reported.add(item.region)
            continue
        if county not in plan.counties:
            column, message = "县", _("County “%s” is not in the system.") % county
        elif (county, township) not in plan.townships:
            column, message = (
                "乡(镇)",
                _("Township “%(township)s” does not exist in %(county)s.")
                % {
                    "township": township,
                    "county": county,
                },
            )
        else:
            column, message = (
                "行政村",
                _("Village “%(village)s” does not exist in %(township)s.")
                % {
                    "village": village,
                    "township": township,
                },
            )
        value = {"县": county, "乡(镇)": township, "行政村": village}[column]
        plan.errors.append(
            problem("unknown_region", message, row=item.parsed.first_row, column=column, value=value)
        )


def _check_scope(plan: ImportPlan, user) -> None:
    if user is None or user.is_superuser:
        return
    role = role_of(user)
    if role == Role.COMMAND:
        return
    profile = getattr(user, "profile", None)
    for item in plan.items:
        village = plan.villages.get(item.region)
        if role == Role.TOWNSHIP:
            allowed = village is not None and village.township_id == profile.township_id
        elif role == Role.VILLAGE:
            allowed = village is not None and village.pk == profile.village_id
        else:
            allowed = False
        if not allowed:
            plan.errors.append(
                problem(
                    "out_of_scope",
                    _("%(township)s %(village)s is outside your area; you may not import this household.")
                    % {"township": item.region[1], "village": item.region[2]},
                    row=item.parsed.first_row,
                    column="行政村",
                    value=item.region[2],
                )
            )


def _match_existing(plan: ImportPlan, user, update_existing: bool) -> None:
    numbers = [item.parsed.number for item in plan.items]
    by_number = {}
    for part in _chunks(numbers):
        by_number.update(
            {h.number: h for h in Household.objects.filter(number__in=part).select_related("village")}
        )
    ids = [m["id_number"] for item in plan.items for m in item.parsed.members if m.get("id_number")]
    owner_of_id = {}
    for part in _chunks(ids):
        for id_number, household_id in Member.objects.filter(id_number__in=part).values_list(
            "id_number", "household_id"
        ):
            owner_of_id[id_number] = household_id
    households_by_pk = {h.pk: h for h in by_number.values()}
    missing = set(owner_of_id.values()) - set(households_by_pk)
    for part in _chunks(missing):
        households_by_pk.update(
            {h.pk: h for h in Household.objects.filter(pk__in=part).select_related("village")}
        )
    claimed = {h.pk for h in by_number.values()}
    refused = set()
    for item in plan.items:
        existing = by_number.get(item.parsed.number)
        if existing is None:
            owners = {
                owner_of_id[m["id_number"]] for m in item.parsed.members if m.get("id_number") in owner_of_id
            }
            if len(owners) == 1 and not owners & claimed:
                existing = households_by_pk[owners.pop()]
                claimed.add(existing.pk)
        if existing is not None and not update_existing:
            plan.errors.append(
                problem(
                    "household_exists",
                    _("Household %(number)s is already registered; choose “update existing” to update it.")
                    % {"number": existing.number},
                    row=item.parsed.first_row,
                    column="户编号",
                    value=item.parsed.number,
                )
            )
            refused.add(item.parsed.number)
            continue
        item.existing = existing
    updated = {item.existing.pk for item in plan.items if item.existing}
    for item in plan.items:
        if item.parsed.number not in refused:
            _check_ids(plan, item, owner_of_id, households_by_pk, updated)
    _check_existing_scope(plan, user)


def _check_existing_scope(plan, user) -> None:
    if user is None:
        return
    from ..queries import households_visible_to

    existing = [item.existing.pk for item in plan.items if item.existing]
    visible = set()
    for part in _chunks(existing):
        visible.update(households_visible_to(user).filter(pk__in=part).values_list("pk", flat=True))
    for item in plan.items:
        if item.existing and item.existing.pk not in visible:
            plan.errors.append(
                problem(
                    "out_of_scope",
                    _("Household %s is outside your area; you may not update it.") % item.existing.number,
                    row=item.parsed.first_row,
                    column="户编号",
                    value=item.parsed.number,
                )
            )


def _check_ids(plan, item, owner_of_id, households_by_pk, updated) -> None:
    own = item.existing.pk if item.existing else None
    for member in item.parsed.members:
        owner = owner_of_id.get(member.get("id_number"))
        if owner is not None and owner != own and owner not in updated:
            plan.errors.append(
                problem(
                    "id_registered",
                    _("The ID number is already registered in household %s.")
                    % households_by_pk[owner].number,
                    row=member["_row"],
                    column="证件号码",
                    value=member["id_number"],
                )
            )
