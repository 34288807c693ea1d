from .checks import RuleSetting, Severity, Violation
from .conditions import LivingConditions
from .exit import ExitMilestone, ExitProcedure, ExitStep, ExitStepNumber, MilestoneLevel
from .imports import ImportBatch, ImportBatchError, ImportBatchHousehold
from .leaders import VillageTrip
from .monitoring import CaseState, MonitoringCase, MonitoringStep
from .regions import County, Department, Township, Village
from .register import AssistanceMeasure, Household, IncomeRecord, Member
from .villages import VillageIndicators
from .visits import Visit
from .work import PublicPost, WorkRecord

__all__ = [
    "LivingConditions",
    "PublicPost",
    "VillageTrip",
    "WorkRecord",
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
    "ImportBatchError",
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
