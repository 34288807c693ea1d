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
