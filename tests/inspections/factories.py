"""Inspection factories: a bare InspectionFactory() is a valid unannounced visit."""

import datetime

import factory

from inspections.models import Finding, Inspection
from tests.factories import TownshipFactory, UserFactory


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    title = factory.Sequence(lambda n: f"第{n}轮暗访")
    kind = "unannounced"
    start_date = datetime.date(2026, 11, 2)
    end_date = datetime.date(2026, 11, 6)
    created_by = factory.SubFactory(UserFactory)


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding

    inspection = factory.SubFactory(InspectionFactory)
    level = "township"
    township = factory.SubFactory(TownshipFactory)
    text = "镇级未按时更新防返贫监测台账。"
    recorded_by = factory.SubFactory(UserFactory)
