from .imports import ImportBatch, ImportBatchHousehold
from .regions import County, Department, Township, Village
from .register import AssistanceMeasure, Household, IncomeRecord, Member

__all__ = [
    "AssistanceMeasure",
    "County",
    "Department",
    "Household",
    "ImportBatch",
    "ImportBatchHousehold",
    "IncomeRecord",
    "Member",
    "Township",
    "Village",
]
