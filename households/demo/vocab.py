"""Codes of the code lists the demo generator picks from, and its distributions."""

GENERAL, DIBAO, TEKUN = "1", "2", "3"  # attribute
NOT_EXITED, EXITED = "0", "1"  # exit_status
POOR, EXITED_TYPE = "1", "2"  # household_type
EXITED_SHARE = 0.85
INCOME_YEAR = 2020
ATTRIBUTE_WEIGHTS = ((GENERAL, 78), (DIBAO, 14), (TEKUN, 8))  # households without labour become 低保
IDENTIFIED_YEARS = ((2014, 50), (2015, 15), (2016, 12), (2017, 10), (2018, 8), (2019, 5))
EXIT_YEARS = {2016: 10, 2017: 20, 2018: 25, 2019: 30, 2020: 15}

# poverty_cause codes
ILLNESS, DISABILITY, SCHOOLING, DISASTER, LAND, WATER = "01", "02", "03", "04", "05", "06"
SKILLS, LABOUR, FUNDS, TRANSPORT, MOTIVATION = "07", "08", "09", "10", "11"
GENERIC_CAUSES = (
    (SKILLS, 15),
    (FUNDS, 15),
    (LAND, 5),
    (TRANSPORT, 5),
    (MOTIVATION, 4),
    (DISASTER, 4),
    (WATER, 2),
)
OTHER_CAUSES = (LAND, TRANSPORT, MOTIVATION, DISASTER, WATER)  # need no measure of their own

# measure_item codes, with sub-items for the description and the responsible department
INDUSTRY, EMPLOYMENT, TRAINING, EDUCATION, HEALTH, HOUSING = "01", "02", "03", "04", "05", "06"
RELOCATION, WELFARE, FINANCE, ECOLOGY, PUBLIC_POST, ASSET_INCOME = "07", "08", "09", "10", "11", "12"
