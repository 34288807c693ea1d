"""factory-boy factories: a bare call builds a valid row."""

import datetime
import itertools

import factory
from django.contrib.auth import get_user_model

from households.codefields import household_type_for
from households.models import County, Department, Household, IncomeRecord, Member, Township, Village
from povertycase import idnumbers
from povertycase.accounts.models import Profile

PASSWORD = "Povertycase-2026!"
_id_sequence = itertools.count(1)
PROFILE_SCOPE = ("township", "village", "department")


def unique_id_number(birth=datetime.date(1970, 5, 1), sex="1", region="411529") -> str:
    return idnumbers.make(region, birth, next(_id_sequence), sex)


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = County
        django_get_or_create = ("code",)

    code = "411529"
    name = "青山县"


class TownshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Township

    county = factory.SubFactory(CountyFactory)
    code = factory.Sequence(lambda n: f"411529{100 + n:03d}")
    name = factory.Sequence(lambda n: f"第{n}镇")


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    township = factory.SubFactory(TownshipFactory)
    code = factory.Sequence(lambda n: f"411529{n:06d}")
    name = factory.Sequence(lambda n: f"第{n}村")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    code = factory.Sequence(lambda n: f"D{n:03d}")
    name = factory.Sequence(lambda n: f"部门{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        scope = {key: kwargs.pop(key) for key in PROFILE_SCOPE if key in kwargs}
        user = super()._create(model_class, *args, **kwargs)
        user._profile_scope = scope
        return user

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        """`UserFactory(role="township", township=t)` also builds the profile."""
        if not extracted:
            return
        Profile.objects.create(user=self, role=extracted, **{**getattr(self, "_profile_scope", {}), **kwargs})
        self.save()


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    number = factory.Sequence(lambda n: f"4115291012{n:06d}")
    village = factory.SubFactory(VillageFactory)
    head_name = "罗建国"
    attribute = "1"
    exit_status = "0"
    household_type = factory.LazyAttribute(lambda h: household_type_for(h.exit_status))
    main_cause = "01"
    identified_month = datetime.date(2016, 3, 1)
    member_count = 1


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    household = factory.SubFactory(HouseholdFactory)
    name = "罗建国"
    relation = "01"
    sex = "1"
    id_number = factory.LazyFunction(unique_id_number)
    birth_date = factory.LazyAttribute(lambda m: idnumbers.parse(m.id_number).birth_date)
    ethnicity = "01"
    education = "30"
    health = "1"
    labour = "2"
    medical_insurance = True
    serious_illness_insurance = True
    pension_insurance = True
    dibao = False
    tekun = False


class IncomeRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IncomeRecord

    household = factory.SubFactory(HouseholdFactory)
    year = 2020
    wage_income = 12000
    business_income = 3000
    transfer_income = 1500
    property_income = 0
    business_expense = 1000
    member_count_used = 1


class MonitoringCaseFactory(factory.django.DjangoModelFactory):
    """A clue just registered; services move it on (tests build the steps through them)."""

    class Meta:
        model = "households.MonitoringCase"

    household = factory.SubFactory(HouseholdFactory)
    channel = "2"
    clue_date = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=30))
    reporter = "村干部"
    clue_text = "入户排查发现家庭成员患大病，医疗支出大"
    created_by = factory.SubFactory(UserFactory)
