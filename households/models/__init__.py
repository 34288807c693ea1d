from .checks import RuleSetting, Severity, Violation
from .exit import ExitMilestone, ExitProcedure, ExitStep, ExitStepNumber, MilestoneLevel
from .imports import ImportBatch, ImportBatchHousehold
from .monitoring import CaseState, MonitoringCase, MonitoringStep
from .regions import County, Department, Township, Village
from .register import AssistanceMeasure, Household, IncomeRecord, Member
from .villages import VillageIndicators
from .visits import Visit

__all__ = [
    "CaseState",
    "ExitMilestone",
    "ExitProcedure",
    "ExitStep",
    "ExitStepNumber",
    "MilestoneLevel",
    "MonitoringCase",
    "MonitoringStep",
    "VillageIndicators",
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
