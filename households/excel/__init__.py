"""The register workbook (REGISTER_XLSX.md): columns, reading with every error, writing."""

from .columns import COLUMNS, HEADERS, SHEET_NAME, normalize_header
from .reader import ParsedHousehold, RegisterFile, parse_register
from .writer import write_register, write_template

__all__ = [
    "COLUMNS",
    "HEADERS",
    "SHEET_NAME",
    "ParsedHousehold",
    "RegisterFile",
    "normalize_header",
    "parse_register",
    "write_register",
    "write_template",
]
