"""Cell parsers for the register workbook (REGISTER_XLSX.md §4): raw calamine value in,
clean value out, or CellError with the Chinese message for the user."""

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from povertycase import idnumbers
from povertycase.core import codes

ERROR_VALUES = {"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#SPILL!", "#CALC!"}
YES = {"是", "Y", "1", "TRUE", "是的"}
NO = {"否", "N", "0", "FALSE"}
CODE_SEPARATORS = re.compile(r"[;；、,，]")
MONTH_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
MONTH_COMPACT = re.compile(r"^(\d{4})(\d{2})$")
MAX_TEXT_DIGITS = 15  # Excel keeps 15 significant digits of a number


class CellError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value) -> str:
    """A cell as the text a person sees; integral floats without `.0`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        # Integral floats as Excel shows them with format "0": 15 significant digits, no ".0".
        return str(int(Decimal(format(value, ".15g")))) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value).strip()


def looks_like_formula(value) -> bool:
    return isinstance(value, str) and (value.strip().startswith("=") or value.strip() in ERROR_VALUES)


def text(value, header: str) -> str:
    return as_text(value)


def name(value, header: str) -> str:
    result = as_text(value)
    if result.startswith(("+", "-", "@")):
        raise CellError(
            "name_formula_prefix", _("“%(column)s” must not start with = + - @.") % {"column": header}
        )
    if not 2 <= len(result) <= 20:
        raise CellError("name_length", _("“%(column)s” must have 2 to 20 characters.") % {"column": header})
    return result


def identifier(value, header: str) -> str:
    """户编号 / 人编号: digits as text; an integral number cell is accepted up to 15 digits."""
    result = _number_as_text(value, header)
    if not result.isdigit():
        raise CellError("ident_digits", _("“%(column)s” may only contain digits.") % {"column": header})
    return result


def phone(value, header: str) -> str:
    result = _number_as_text(value, header)
    if not re.fullmatch(r"[0-9][0-9\- ]{4,19}", result):
        raise CellError("phone_invalid", _("“%(column)s” is not a valid phone number.") % {"column": header})
    return result


def _number_as_text(value, header: str) -> str:
    if isinstance(value, float | int) and not isinstance(value, bool):
        if not float(value).is_integer() or len(str(int(value))) > MAX_TEXT_DIGITS:
            raise CellError("not_text", _("“%(column)s” must be entered as text.") % {"column": header})
        return str(int(value))
    return as_text(value)


def id_number(value, header: str, *, reference: datetime.date) -> idnumbers.IdFacts:
    if isinstance(value, float | int) and not isinstance(value, bool):
        raise CellError("id_not_text", _("The ID number must be entered as text."))
    raw = as_text(value).upper()
    try:
        return idnumbers.parse_document(raw, today=reference)
    except idnumbers.IdNumberError as exc:
        raise CellError("id_invalid", _("Wrong ID number: %(reason)s") % {"reason": exc}) from None


def integer(value, header: str) -> int | None:
    if is_blank(value):
        return None
    number = _decimal(value, header)
    if number != number.to_integral_value():
        raise CellError("not_integer", _("“%(column)s” must be a whole number.") % {"column": header})
    if number < 0:
        raise CellError("negative", _("“%(column)s” must not be negative.") % {"column": header})
    return int(number)


def decimal(value, header: str, *, places: int) -> Decimal | None:
    if is_blank(value):
        return None
    number = _decimal(value, header)
    if number < 0:
        raise CellError("negative", _("“%(column)s” must not be negative.") % {"column": header})
    return number.quantize(Decimal(1).scaleb(-places))


def _decimal(value, header: str) -> Decimal:
    if isinstance(value, bool):
        raise CellError("not_number", _("“%(column)s” must be a number.") % {"column": header})
    if isinstance(value, float | int):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    raw = unicodedata.normalize("NFKC", as_text(value)).replace(",", "").replace(" ", "")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise CellError("not_number", _("“%(column)s” must be a number.") % {"column": header}) from None
    if not number.is_finite():
        raise CellError("not_number", _("“%(column)s” must be a number.") % {"column": header})
    return number


def yes_no(value, header: str) -> bool | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    key = unicodedata.normalize("NFKC", as_text(value)).upper()
    if key in YES:
        return True
    if key in NO:
        return False
    raise CellError("not_yes_no", _("“%(column)s” must be 是 or 否.") % {"column": header})


def month(value, header: str) -> datetime.date | None:
    if is_blank(value):
        return None
    if isinstance(value, datetime.datetime | datetime.date):
        return datetime.date(value.year, value.month, 1)
    if isinstance(value, float) and not value.is_integer():
        raw = f"{value:.2f}"  # 2019.05 typed as a number; 2019.1 is shown by Excel for 2019.10
    else:
        raw = unicodedata.normalize("NFKC", as_text(value)).replace(" ", "")
    match = MONTH_TEXT.match(raw) or MONTH_COMPACT.match(raw)
    if match and 1 <= int(match.group(2)) <= 12 and 1900 <= int(match.group(1)) <= 2100:
        return datetime.date(int(match.group(1)), int(match.group(2)), 1)
    raise CellError(
        "not_month", _("“%(column)s” is not a valid year and month (e.g. 2019-05).") % {"column": header}
    )


def _code_key(text: str) -> str:
    key = codes.normalize(text)
    return str(int(key)) if key.isdigit() else key


FULL_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s.*)?$")
COMPACT_DAY = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def day(value, header: str) -> datetime.date | None:
    """A date (2021-05-17, 20210517, a date cell) or, failing that, a month (its first day)."""
    if isinstance(value, datetime.datetime | datetime.date):
        return datetime.date(value.year, value.month, value.day)
    raw = unicodedata.normalize("NFKC", as_text(value))
    match = FULL_DATE.match(raw) or COMPACT_DAY.match(raw)
    if match:
        try:
            return datetime.date(*(int(g) for g in match.groups()))
        except ValueError:
            raise CellError(
                "not_date", _("“%(column)s” is not a valid date (e.g. 2021-05-17).") % {"column": header}
            ) from None
    return month(value, header)


class CodeMaps:
    """Label → code per list, built once per import from the register entries of `codes`
    (the same names `codes.lookup(..., register_only=True)` matches: label, register label,
    aliases)."""

    def __init__(self):
        self._maps: dict[str, dict[str, str]] = {}

    def map(self, list_name: str) -> dict[str, str]:
        if list_name not in self._maps:
            mapping = {}
            for entry in codes.entries(list_name, register_only=True):
                for label in (entry.label, entry.register_label, *entry.extra.get("aliases", [])):
                    mapping.setdefault(codes.normalize(label), entry.code)
            # The national code number (1 = 因病 …), written with or without leading zeros.
            for entry in codes.entries(list_name, register_only=True):
                mapping.setdefault(_code_key(entry.code), entry.code)
                national = str(entry.extra.get("national", ""))
                if national:
                    mapping.setdefault(_code_key(national), entry.code)
            self._maps[list_name] = mapping
        return self._maps[list_name]

    def code(self, value, header: str, list_name: str) -> str:
        if is_blank(value):
            return ""
        key = _code_key(as_text(value))
        found = self.map(list_name).get(key)
        if found is None:
            raise self._unknown(key, header, list_name)
        return found

    def code_list(self, value, header: str, list_name: str) -> list[str]:
        items = [_code_key(part) for part in CODE_SEPARATORS.split(as_text(value))]
        result = []
        for item in items:
            if not item:
                continue
            found = self.map(list_name).get(item)
            if found is None:
                raise self._unknown(item, header, list_name)
            result.append(found)
        return list(dict.fromkeys(result))

    def _unknown(self, item: str, header: str, list_name: str) -> CellError:
        allowed = "、".join(dict.fromkeys(codes.labels(list_name, register_only=True)))
        return CellError(
            "unknown_code",
            _("“%(value)s” is not an allowed value of “%(column)s”; allowed: %(allowed)s")
            % {"value": item, "column": header, "allowed": allowed},
        )
