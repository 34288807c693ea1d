from .checks import RuleSetting, Severity, Violation
from .imports import ImportBatch, ImportBatchHousehold
from .regions import County, Department, Township, Village
from .register import AssistanceMeasure, Household, IncomeRecord, Member
from .visits import Visit

__all__ = [
    "AssistanceMeasure",
    "County",
    "Department",
    "Household",
    "ImportBatch",
    "ImportBatchHousehold",
    "IncomeRecord",
    "Member",
    "RuleSetting",
    "Severity",
    "Township",
    "Village",
    "Visit",
    "Violation",
]
