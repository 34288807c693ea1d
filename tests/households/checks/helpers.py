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
