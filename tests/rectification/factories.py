"""Ledger factories: a bare ItemFactory() is a valid item due in a month, owned by a township."""

import datetime

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from rectification.models import Category, Item
from tests.factories import TownshipFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf_upload(name="佐证.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("code",)

    code = "0701"
    name = "疑似危房"


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    number = factory.Sequence(lambda n: f"ZG-{n:04d}")
    source = "05"
    category = factory.LazyFunction(lambda: Category.objects.get(code="0701"))
    description = "青石村罗某某住房疑似危房，未纳入危改。"
    level = "county"
    responsible_township = factory.SubFactory(TownshipFactory)
    responsible_department = None
    measures = "组织鉴定并实施危房改造。"
    kind = "deadline"
    deadline = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=30))
    status = "pending"
