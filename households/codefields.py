"""Which register fields hold codes of which code list (forms, history and pages share this)."""

HOUSEHOLD_CODE_FIELDS = {
    "household_type": "household_type",
    "attribute": "attribute",
    "id_standard": "id_standard",
    "exit_status": "exit_status",
    "main_cause": "poverty_cause",
    "housing_grade": "housing_grade",
}
HOUSEHOLD_MULTI_CODE_FIELDS = {"other_causes": "poverty_cause"}

MEMBER_CODE_FIELDS = {
    "id_type": "id_type",
    "relation": "relation",
    "sex": "sex",
    "ethnicity": "ethnicity",
    "political": "political",
    "education": "education",
    "student_status": "student_status",
    "out_of_school_reason": "school_absence_reason",
    "health": "health",
    "labour": "labour",
    "work_status": "work_status",
    "status": "member_status",
}

CONDITIONS_CODE_FIELDS = {
    "road_type": "road_type",
    "main_fuel": "main_fuel",
    "relocation_mode": "relocation_mode",
}
WORK_CODE_FIELDS = {"channel": "work_channel"}
POST_CODE_FIELDS = {"post_type": "public_post"}
MEASURE_CODE_FIELDS = {"category": "measure_category", "item": "measure_item", "status": "measure_status"}

MONTH_FIELDS = {"identified_month", "exit_month"}

HEAD_RELATION = "01"
ACTIVE_STATUS = "1"
RESIDENT_ID_TYPE = "1"
# labour 丧失劳动力, 无劳动力: a household whose members are all these is never eliminated (DOMAIN §5.4).
NO_LABOUR = ("4", "5")

POOR_TYPE, EXITED_TYPE, FARMER_TYPE = "1", "2", "3"  # household_type 贫困户, 脱贫户, 一般农户
POOR_STATUSES = ("0", "3")  # exit_status 未脱贫, 返贫


def household_type_for(exit_status: str, current: str = "") -> str:
    """The 户类型 that goes with 贫困户状态; every path that sets the status sets the type with it.

    Exited (已脱贫) is 脱贫户; not exited or back in poverty is 贫困户 (a 一般农户 stays one);
    a status that says nothing about the type (自然减少, blank) keeps the current type.
    """
    from povertycase.core import codes

    exited = {c.code for c in codes.entries("exit_status") if c.extra.get("exited")}
    if exit_status in exited:
        return EXITED_TYPE
    if exit_status in POOR_STATUSES:
        return current if current == FARMER_TYPE else POOR_TYPE
    return current
