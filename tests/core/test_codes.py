import datetime

import pytest

from povertycase import idnumbers
from povertycase.core import codes
from povertycase.core.models import CodeList, Parameter


@pytest.mark.django_db
class TestCodeLists:
    def test_default_lists_are_loaded_by_migration(self):
        assert len(codes.entries("ethnicity", register_only=True)) == 56
        assert codes.labels("poverty_cause", register_only=True)[-1] == "自身发展动力不足"
        assert Parameter.objects.get(name="poverty_line", year=2019).value == 3218

    def test_lookup_normalises_full_width_and_spaces(self):
        assert codes.lookup("work_status", " 乡（镇）内务工 ") == "1"

    def test_lookup_accepts_register_label_and_aliases(self):
        assert codes.lookup("exit_status", "已脱贫", register_only=True) == "1"
        assert codes.lookup("measure_item", "易地扶贫搬迁") == "07"

    def test_register_only_excludes_values_the_workbook_refuses(self):
        assert codes.lookup("poverty_cause", "其他") == "99"
        assert codes.lookup("poverty_cause", "其他", register_only=True) is None

    def test_edits_by_the_county_are_seen_at_once(self):
        assert codes.label("political", "5") == "群众"
        CodeList.objects.filter(list="political", code="5").update(label_zh="普通群众")
        CodeList.objects.get(list="political", code="5").save()
        assert codes.label("political", "5") == "普通群众"


class TestIdNumbers:
    def test_example_from_the_register_layout(self):
        facts = idnumbers.parse("41152919680312001x")
        assert facts.number == "41152919680312001X"
        assert facts.birth_date == datetime.date(1968, 3, 12)
        assert facts.sex == idnumbers.MALE

    def test_female_by_even_seventeenth_digit(self):
        assert idnumbers.parse("411529197008050029").sex == idnumbers.FEMALE

    def test_legacy_fifteen_digits_are_converted(self):
        assert idnumbers.parse("110101800101001").number == "110101198001010010"

    @pytest.mark.parametrize(
        "raw, message",
        [
            ("4115291968031200", "18"),
            ("411529196803120011", "校验"),
            ("411529196802300012", "出生日期"),
            ("999999196803120010", "999999"),
            ("41152919680312A01X", "数字"),
        ],
    )
    def test_bad_numbers_say_why_in_chinese(self, raw, message):
        with pytest.raises(idnumbers.IdNumberError) as exc:
            idnumbers.parse(raw)
        assert message in str(exc.value)

    def test_future_birth_date_is_refused(self):
        number = idnumbers.make("411529", datetime.date(2030, 1, 1), 1, idnumbers.MALE)
        with pytest.raises(idnumbers.IdNumberError):
            idnumbers.parse(number, today=datetime.date(2026, 11, 23))

    def test_age_in_completed_years(self):
        assert idnumbers.age_at(datetime.date(2010, 6, 1), datetime.date(2026, 5, 31)) == 15
        assert idnumbers.age_at(datetime.date(2010, 6, 1), datetime.date(2026, 6, 1)) == 16
