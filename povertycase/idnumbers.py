"""Resident ID numbers (GB 11643-1999) through python-stdnum, with the facts they encode."""

import dataclasses
import datetime
import functools
from dataclasses import dataclass

from django.utils.translation import gettext as _
from stdnum.cn import ric
from stdnum.exceptions import ValidationError

PLACEHOLDER_PREFIX = "999999"
MALE, FEMALE = "1", "2"


class IdNumberError(ValueError):
    pass


@dataclass(frozen=True)
class IdFacts:
    number: str
    birth_date: datetime.date
    sex: str  # code list "sex"
    region_known: bool
    # A 残疾人证 number (20/22 characters) adds the disability category (1–7) and grade (1–4).
    disability_cert: str = ""
    disability_category: str = ""
    disability_grade: str = ""


def from_legacy(number: str) -> str:
    """A 15-digit number (YYMMDD, no check character) in its 18-character form."""
    body = number[:6] + "19" + number[6:]
    return body + ric.calc_check_digit(body + "0")


def parse(raw, *, today: datetime.date | None = None) -> IdFacts:
    """Validate `raw` and return what it encodes; IdNumberError carries a Chinese message."""
    number = _compact(raw)
    if len(number) == 15 and number.isdigit():
        number = from_legacy(number)
    if len(number) != 18:
        raise IdNumberError(_("ID number must have 18 characters (it has %(n)d).") % {"n": len(number)})
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise IdNumberError(_("ID number may only contain digits and a final X."))
    if number.startswith(PLACEHOLDER_PREFIX):
        raise IdNumberError(_("ID number starting with 999999 is a placeholder, not a real ID number."))
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdNumberError(_("The birth date in the ID number is not a real date.")) from None
    today = today or datetime.date.today()
    if birth > today or birth.year < 1900 or today.year - birth.year > 110:
        raise IdNumberError(_("The birth date in the ID number is impossible."))
    if number[17] != ric.calc_check_digit(number):
        raise IdNumberError(_("The check character of the ID number is wrong."))
    sex = MALE if int(number[16]) % 2 else FEMALE
    return IdFacts(number=number, birth_date=birth, sex=sex, region_known=_region_known(number[:6]))


def _compact(raw) -> str:
    """stdnum's compact (spaces and dashes out), skipped for the common already-clean number: an
    import parses tens of thousands and compact dominated the time."""
    text = str(raw or "")
    if text.isalnum() and text.isascii():
        return text.upper()
    return ric.compact(text).upper()


DISABILITY_CATEGORIES = "1234567"  # 视力 听力 言语 肢体 智力 精神 多重
DISABILITY_GRADES = "1234"


def parse_document(raw, *, today: datetime.date | None = None) -> IdFacts:
    """An ID number, or a 残疾人证 number: the 18-character ID, category, grade and, in the
    22-character form, a 2-character card issue (e.g. B1)."""
    number = _compact(raw)
    if len(number) not in (20, 22):
        return parse(number, today=today)
    facts = parse(number[:18], today=today)
    category, grade, issue = number[18], number[19], number[20:]
    if (
        category not in DISABILITY_CATEGORIES
        or grade not in DISABILITY_GRADES
        or (issue and not issue.isalnum())
    ):
        raise IdNumberError(
            _("The disability certificate part “%(part)s” must be a category 1–7 and a grade 1–4.")
            % {"part": number[18:]}
        )
    return dataclasses.replace(
        facts, disability_cert=number, disability_category=category, disability_grade=grade
    )


@functools.lru_cache(maxsize=4096)
def _region_known(region: str) -> bool:
    """Looked up once per region: stdnum's table scan dominates parsing otherwise."""
    try:
        ric.get_birth_place(region + "19700101000")
        return True
    except (ValidationError, KeyError):  # stdnum's region table has gaps
        return False


def age_at(birth_date: datetime.date, reference: datetime.date) -> int:
    years = reference.year - birth_date.year
    return years - ((reference.month, reference.day) < (birth_date.month, birth_date.day))


def make(region: str, birth_date: datetime.date, sequence: int, sex: str) -> str:
    """Build a valid number (demo data and tests): the sequence's last digit follows `sex`."""
    seq = sequence * 2 + (1 if sex == MALE else 0)
    body = f"{region}{birth_date:%Y%m%d}{seq % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")
