"""Petitions' code lists and parameters, read by the core loader (povertycase/core/loading.py)."""

CHANNELS = [
    ("01", "来访", {"deadline_parameter": "petition_deadline_days_01"}),
    ("02", "来信", {"deadline_parameter": "petition_deadline_days_02"}),
    (
        "03",
        "12317 热线",
        {"deadline_parameter": "petition_deadline_days_03", "aliases": ["12317热线", "12317"]},
    ),
    ("04", "阳光村务", {"deadline_parameter": "petition_deadline_days_04"}),
    ("05", "网络媒体", {"deadline_parameter": "petition_deadline_days_05", "aliases": ["网络/媒体"]}),
    ("06", "上级转办", {"deadline_parameter": "petition_deadline_days_06"}),
]

CODE_LISTS = {
    "petition_channel": CHANNELS,
    "insurance_claim_cause": [("1", "因病"), ("2", "因学"), ("3", "因灾"), ("4", "因意外"), ("9", "其他")],
    "insurance_payer": [("1", "财政"), ("2", "个人"), ("3", "财政与个人共担"), ("4", "社会捐助")],
}

# (name, year, value, unit, source)
PARAMETERS = [
    ("petition_deadline_days_01", None, 15, "天", "s001"),
    ("petition_deadline_days_02", None, 15, "天", "s001"),
    ("petition_deadline_days_03", None, 7, "天", "12317 (confirm)"),
    ("petition_deadline_days_04", None, 15, "天", "s001"),
    ("petition_deadline_days_05", None, 10, "天", "s001 (confirm)"),
    ("petition_deadline_days_06", None, 15, "天", "s001"),
    ("petition_repeat_count", None, 2, "件", "s001 (PT-001)"),
    ("petition_repeat_months", None, 12, "月", "s001 (PT-001)"),
]
