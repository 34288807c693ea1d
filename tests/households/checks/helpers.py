"""Mutations that make the clean family trip one rule."""

import datetime

from households.models import AssistanceMeasure, IncomeRecord, Member
from povertycase import idnumbers


def exited(family, *, exit_month=datetime.date(2019, 12, 1)):
    h = family.household
    h.exit_status, h.household_type, h.exit_month = "1", "2", exit_month
    h.save()


def set_member(member, **fields):
    Member.objects.filter(pk=member.pk).update(**fields)


def measures(family, *pairs):
    AssistanceMeasure.objects.filter(household=family.household).delete()
    for category, item in pairs:
        AssistanceMeasure.objects.create(household=family.household, category=category, item=item, year=2016)


def income(family, **fields):
    record = IncomeRecord.objects.get(household=family.household)
    for name, value in fields.items():
        setattr(record, name, value)
    record.save()


def id_for(birth, sex, region="411529", sequence=500):
    return idnumbers.make(region, birth, sequence, sex)


def village_indicators(village, **fields):
    """A complete, consistent indicators record for `village` (VL rules pass), `fields` overriding."""
    from decimal import Decimal

    from households.models import VillageIndicators

    values = {
        "total_households": 120,
        "total_population": 480,
        "collective_income": Decimal("85000.00"),
        "primary_schools": 1,
        "pension_insured": 300,
        "bus_service": True,
        "clinics": 1,
        "doctors": 1,
        "public_toilets": 2,
        "garbage_points": 3,
        "cultural_rooms": 1,
        "dibao_households": 8,
        "dibao_persons": 15,
        "tekun_persons": 2,
        "disabled_persons": 9,
        "hardened_road": True,
        "households_without_water": 0,
        "households_in_danger_housing": 0,
        "land_area": Decimal("3000.0"),
    }
    values.update(fields)
    return VillageIndicators.objects.update_or_create(village=village, defaults=values)[0]
