"""Import of a petition ledger workbook (the export's columns): check every row, then save all
rows or none. Unknown channels, categories, units and households are errors, never creations."""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from households.models import Department, Household, Township
from povertycase.core import codes
from povertycase.errors import DomainError
from povertycase.excel import WorkbookError, read_sheet
from rectification.imports import _date, _text
from rectification.models import Category

from . import rules
from .models import Petition, Satisfaction, State, Step
from .services import deadline_days

HEADER_KEYS = {
    "信访编号": "number",
    "渠道": "channel",
    "信访渠道": "channel",
    "受理日期": "date",
    "信访人": "complainant_name",
    "联系电话": "complainant_phone",
    "涉及农户": "households",
    "问题类别": "category",
    "信访内容": "content",
    "承办单位": "unit",
    "办理期限": "deadline",
    "状态": "state",
    "答复内容": "reply",
    "答复日期": "replied_on",
    "满意度": "satisfaction",
}
REQUIRED = {"channel": "渠道", "date": "受理日期", "category": "问题类别", "content": "信访内容"}
COMMAND_OFFICE = ("县指挥部", "县脱贫攻坚指挥部", "")
DATE_KEYS = ("date", "deadline", "replied_on")


@dataclass
class ImportResult:
    petitions: int = 0
    errors: list[dict] = field(default_factory=list)
    imported: bool = False


class _Lookups:
    def __init__(self):
        self.categories = {c.code: c for c in Category.objects.select_related("parent")}
        self.by_name = {}
        for c in self.categories.values():
            self.by_name.setdefault(c.name, []).append(c)
        self.townships = {t.name: t for t in Township.objects.all()}
        self.departments = {d.name: d for d in Department.objects.all()}
        self.numbers = set(Petition.objects.values_list("number", flat=True))
        self.states = {str(label): value for value, label in State.choices}
        self.satisfactions = {str(label): value for value, label in Satisfaction.choices}


def _find_header(rows):
    for number, cells in rows:
        keys = {i: HEADER_KEYS[_text(c)] for i, c in enumerate(cells) if _text(c) in HEADER_KEYS}
        if "content" in keys.values() and "channel" in keys.values():
            return keys
        if number > 10:
            break
    raise DomainError(_("No header row with 渠道 and 信访内容 was found in the first 10 rows."))


def _category(text, lk, errors):
    code = text.split(" ")[0]
    if code in lk.categories:
        return lk.categories[code]
    matches = lk.by_name.get(text.split("／")[-1], [])
    if len(matches) == 1:
        return matches[0]
    errors.append(("问题类别", _("Unknown category “%s”.") % text))
    return None


def _parse_row(raw, lk, errors, seen, households):
    for key, header in REQUIRED.items():
        if not _text(raw.get(key)):
            errors.append((header, _("Required.")))
    values = {}
    for key in DATE_KEYS:
        if _text(raw.get(key)):
            try:
                values[key] = _date(raw[key])
            except ValueError:
                errors.append((key, _("“%s” is not a date (use YYYY-MM-DD).") % _text(raw[key])))
    channel = codes.lookup("petition_channel", raw.get("channel", ""))
    if raw.get("channel") and not channel:
        errors.append(("渠道", _("Unknown channel “%s”.") % raw["channel"]))
    number = _text(raw.get("number"))
    if number and (number in lk.numbers or number in seen):
        errors.append(("信访编号", _("Number %s is already in the ledger or repeated in the file.") % number))
    seen.add(number)
    category = _category(_text(raw.get("category")), lk, errors) if raw.get("category") else None
    unit = _text(raw.get("unit"))
    township, department = lk.townships.get(unit), lk.departments.get(unit)
    if unit not in COMMAND_OFFICE and not (township or department):
        errors.append(("承办单位", _("Unknown township or department “%s”.") % unit))
    state = lk.states.get(_text(raw.get("state")), State.REGISTERED) if raw.get("state") else State.REGISTERED
    satisfaction = lk.satisfactions.get(_text(raw.get("satisfaction")), "")
    linked = []
    for token in _text(raw.get("households")).replace("，", "、").split("、"):
        key = token.strip().split(" ")[0]
        if not key:
            continue
        if key not in households:
            errors.append(("涉及农户", _("Unknown household number “%s”.") % key))
        else:
            linked.append(households[key])
    name = _text(raw.get("complainant_name"))
    values.update(
        number=number,
        channel=channel,
        category=category,
        content=_text(raw.get("content")),
        complainant_name="" if name == "匿名" else name,
        anonymous=name in ("", "匿名"),
        complainant_phone=_text(raw.get("complainant_phone")),
        handling_township=township,
        handling_department=department,
        state=state,
        reply=_text(raw.get("reply")),
        satisfaction=satisfaction,
        households=linked,
    )
    return values


def read_petitions(data: bytes):
    try:
        sheet = read_sheet(data, preferred_name="信访台账")
    except WorkbookError as exc:
        raise DomainError(_("The file is not a readable .xlsx workbook.")) from exc
    rows = list(sheet.rows)
    keys = _find_header(rows)
    lk = _Lookups()
    wanted = set()
    for _number, cells in rows:
        for i, key in keys.items():
            if key == "households" and i < len(cells):
                wanted |= {t.strip().split(" ")[0] for t in _text(cells[i]).replace("，", "、").split("、")}
    households = {
        h.number: h for h in Household.objects.select_related("village__township").filter(number__in=wanted)
    }
    good, errors, seen = [], [], set()
    header_seen = False
    for number, cells in rows:
        raw = {key: cells[i] for i, key in keys.items() if i < len(cells)}
        if not header_seen:
            header_seen = _text(raw.get("content")) == "信访内容"
            continue
        if not any(_text(v) for v in raw.values()):
            continue
        row_errors = []
        values = _parse_row(raw, lk, row_errors, seen, households)
        errors += [{"row": number, "column": c, "message": m} for c, m in row_errors]
        if not row_errors:
            good.append((number, values))
    return good, errors


def petitions_import(*, user, data: bytes, dry_run: bool) -> ImportResult:
    """Check every row; unless dry_run and only when no row has an error, save them all."""
    if not rules.is_command(user):
        raise DomainError(_("Only the county command office may import petitions."))
    rows, errors = read_petitions(data)
    result = ImportResult(petitions=len(rows), errors=errors)
    if errors or dry_run or not rows:
        return result
    _save(rows, user)
    result.imported = True
    return result


@transaction.atomic
def _save(rows, user) -> None:
    from .services import _next_number

    for _row, values in rows:
        households = values.pop("households")
        date = values["date"]
        values["number"] = values["number"] or _next_number(date)
        values.setdefault("deadline", date + datetime.timedelta(days=deadline_days(values["channel"])))
        values["township"] = households[0].village.township if households else values["handling_township"]
        petition = Petition(**values, registered_by=user)
        petition._history_user = user
        petition._change_reason = "import"
        petition.save()
        petition.households.set(households)
        Step.objects.create(
            petition=petition, actor=user, action="import", from_state="", to_state=petition.state
        )
