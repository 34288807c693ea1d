"""MN, VS and VL rules: catalogued with their metadata, not applicable until their data exists.

Monitoring records (防返贫监测), helpers and visits, and village indicators are separate work;
until those models exist every rule here is reported as skipped, never raised.
"""

from django.utils.translation import gettext_lazy as _lazy

from .registry import ERROR, WARNING, not_applicable

MONITORING = _lazy("not applicable: the register has no monitoring (防返贫监测) records yet")

CATALOGUE = (
    ("MN-001", "Monitored household without risk 1", ERROR, "fp 1_11_001", MONITORING),
    (
        "MN-002",
        "Clue not decided within 15 days, or village notice shorter than 5 days",
        WARNING,
        "nat",
        MONITORING,
    ),
    (
        "MN-003",
        "Identified more than a month ago and no measure registered",
        ERROR,
        "fp 1_11_010",
        MONITORING,
    ),
    (
        "MN-004",
        "Exited household with unsafe housing, water or insurance, yet not monitored",
        WARNING,
        "fp 1_02_001–003",
        MONITORING,
    ),
    (
        "MN-005",
        "A 三保障 or water indicator shows a problem but no matching risk",
        ERROR,
        "fp 4_11_006/007",
        MONITORING,
    ),
    (
        "MN-006",
        "Risk 因务工就业不稳 but nobody has labour or no work record",
        WARNING,
        "fp 2_11_006, 5_15_013/014",
        MONITORING,
    ),
    (
        "MN-007",
        "Risk 因病 but nobody is ill, or no out-of-pocket expense",
        WARNING,
        "fp 5_15_015, 5_15_020",
        MONITORING,
    ),
    ("MN-008", "Risk 因病 without a health or social measure", ERROR, "fp 5_18_001", MONITORING),
    ("MN-009", "Risk 因学 without an education measure", ERROR, "fp 5_18_002", MONITORING),
    ("MN-010", "Risk 因残 without a welfare measure", ERROR, "fp 5_18_003, 3_11_005, 5_16_008", MONITORING),
    (
        "MN-011",
        "Risk 因安全住房 without a housing or relocation measure",
        ERROR,
        "fp 5_18_004, 3_11_006",
        MONITORING,
    ),
    ("MN-012", "Risk 因安全饮水 without a water measure", ERROR, "fp 5_18_006, 3_11_008", MONITORING),
    (
        "MN-013",
        "Child out of school or uninsured member without a matching measure",
        ERROR,
        "fp 5_18_005/007, 3_11_007/009",
        MONITORING,
    ),
    (
        "MN-014",
        "Open risk with labour but no development-type measure after 6 months",
        ERROR,
        "fp 5_12_007, 5_11_030",
        MONITORING,
    ),
    ("MN-015", "Development measures only 其他 or 技能培训", WARNING, "fp 5_12_011", MONITORING),
    (
        "MN-016",
        "Premium-subsidy measure inconsistent with the identification month",
        WARNING,
        "fp 1111_06/09/13",
        MONITORING,
    ),
    (
        "MN-017",
        "Assisted elimination less than 6 months after identification",
        ERROR,
        "fp 2_11_002",
        MONITORING,
    ),
    (
        "MN-018",
        "Assisted elimination in the month of identification or the next",
        ERROR,
        "fp 5_18_009",
        MONITORING,
    ),
    ("MN-019", "Eliminated with income below the monitoring range", ERROR, "fp 4_11_010", MONITORING),
    ("MN-020", "Eliminated household in which nobody has labour", ERROR, "fp 4_11_011", MONITORING),
    (
        "MN-021",
        "Eliminated household with a child out of school, unsafe water or danger housing",
        ERROR,
        "fp 1_11_005–007, 1_02_008/009",
        MONITORING,
    ),
    (
        "MN-022",
        "Eliminated without post-elimination indicators or contact",
        ERROR,
        "fp 1_11_004, 1_11_011",
        MONITORING,
    ),
    ("MN-023", "Assisted elimination with no measure recorded", ERROR, "fp 1_11_009", MONITORING),
    (
        "MN-024",
        "Open household without labour not flagged 整户无劳动能力兜底保障户",
        WARNING,
        "fp 5_11_033",
        MONITORING,
    ),
)

for _id, _title, _severity, _source, _why in CATALOGUE:
    not_applicable(_id, _lazy(_title), severity=_severity, fields=(), source=_source, why=_why)
