import datetime
import io
from html.parser import HTMLParser
from urllib.parse import quote

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from households.models import Household, Member
from povertycase.core.models import ExportLog
from tests.factories import HouseholdFactory, IncomeRecordFactory, MemberFactory, unique_id_number

pytestmark = pytest.mark.django_db

NUMBER = "411529101200077001"
# session, user, profile, scope label, unread notifications, savepoint pair and session save
# included; the same for 3 or 30 rows. The detail page adds its open logic-check violations.
LIST_BUDGET = 12
# + helper assignment history and recent visits (households/views_visits.py), the monitoring
# panel (risk flags in one query, the current case) and the exit panel (its procedure);
# + the history of living conditions, measures, income, work records and posts (one each),
# the panels of living conditions (1), work records and posts (2) and the township leader in
# contact (2); the income panel reads the latest and earlier years in the one query it had;
# the petitions panel (1).
DETAIL_BUDGET = 32


def form_data(village, members, *, initial=0, **household):
    data = {
        "number": NUMBER,
        "village": village.pk,
        "household_type": "1",
        "attribute": "1",
        "exit_status": "0",
        "identified_month": "2016-03",
        "members-TOTAL_FORMS": len(members),
        "members-INITIAL_FORMS": initial,
        "members-MIN_NUM_FORMS": 0,
        "members-MAX_NUM_FORMS": 1000,
        **household,
    }
    for i, member in enumerate(members):
        data.update({f"members-{i}-{key}": value for key, value in member.items()})
    return data


def person(name, relation, sex="1", birth=datetime.date(1970, 5, 1), **extra):
    return {
        "name": name,
        "relation": relation,
        "id_type": "1",
        "id_number": unique_id_number(birth, sex),
        "status": "1",
        **extra,
    }


def three_people():
    return [
        person("罗建国", "01"),
        person("王秀英", "02", "2", datetime.date(1972, 3, 9)),
        person("罗小明", "03", "1", datetime.date(2005, 9, 1)),
    ]


@pytest.fixture
def cadre_client(client, users):
    client.force_login(users["township"])
    return client


@pytest.fixture
def village(county_layout):
    return county_layout["villages"]["v11"]


def test_create_with_three_members(cadre_client, village):
    response = cadre_client.post(reverse("households:household_create"), form_data(village, three_people()))

    household = Household.objects.get(number=NUMBER)
    assert response.status_code == 302 and response["Location"] == household.get_absolute_url()
    assert household.head_name == "罗建国" and household.members.count() == 3
    assert household.identified_month == datetime.date(2016, 3, 1)
    page = cadre_client.get(response["Location"]).content.decode()
    assert "王秀英" in page and "之子" in page and "新增成员" in page


def test_bad_checksum_saves_nothing_and_is_shown_next_to_the_field(cadre_client, village):
    members = three_people()
    bad = members[2]["id_number"]
    members[2]["id_number"] = bad[:17] + ("1" if bad[17] != "1" else "2")

    response = cadre_client.post(reverse("households:household_create"), form_data(village, members))

    assert response.status_code == 200
    assert not Household.objects.filter(number=NUMBER).exists()
    assert not Member.objects.filter(name__in=["王秀英", "罗小明"]).exists()
    html = response.content.decode()
    field = html.index('name="members-2-id_number"')
    assert "is-invalid" in html[html.rindex("<input", 0, field) : field + 200]
    assert "校验" in html[field : field + 600]


def test_duplicate_id_names_the_other_household(cadre_client, village):
    other = MemberFactory(household=HouseholdFactory(village=village, head_name="张大山"), name="张大山")
    members = three_people()
    members[0]["id_number"] = other.id_number

    response = cadre_client.post(reverse("households:household_create"), form_data(village, members))

    assert response.status_code == 200
    html = response.content.decode()
    assert other.household.number in html and "张大山" in html and "重复登记" in html
    assert not Household.objects.filter(number=NUMBER).exists()


def test_edit_member_shows_old_and_new_in_history(cadre_client, users, village):
    users["township"].first_name = "李专干"
    users["township"].save()
    cadre_client.post(reverse("households:household_create"), form_data(village, three_people()))
    household = Household.objects.get(number=NUMBER)
    url = reverse("households:household_update", args=[household.pk])
    assert cadre_client.get(url).status_code == 200

    members = []
    for m in household.members.order_by("seq"):
        row = {"id": m.pk, "name": m.name, "relation": m.relation, "id_type": m.id_type}
        row.update(id_number=m.id_number, status=m.status, education="40" if m.relation == "03" else "")
        members.append(row)
    data = form_data(village, members, initial=3, change_reason="入户核实")
    response = cadre_client.post(url, data)
    assert response.status_code == 302

    page = cadre_client.get(household.get_absolute_url()).content.decode()
    history = page[page.index('data-testid="history"') :]
    assert "文化程度" in history and "初中" in history and "李专干" in history and "入户核实" in history


def test_detail_masks_ids_for_readers_and_shows_income(client, users, county_layout):
    household = county_layout["households"]["v11"]
    member = MemberFactory(household=household)
    IncomeRecordFactory(household=household, member_count_used=2)

    client.force_login(users["inspector"])
    page = client.get(household.get_absolute_url()).content.decode()
    assert member.masked_id_number in page and member.id_number not in page
    assert "7,750.00" in page  # (12000 + 3000 + 1500 - 1000) / 2

    client.force_login(users["township"])
    assert member.id_number in client.get(household.get_absolute_url()).content.decode()


def test_list_filters_sorts_and_pages(cadre_client, village, county_layout):
    HouseholdFactory.create_batch(30, village=village, main_cause="07", other_causes=";05;")
    url = reverse("households:household_list")

    page = cadre_client.get(url, {"cause": "05", "sort": "-number"})
    assert page.context["paginator"].count == 30
    numbers = [h.number for h in page.context["households"]]
    assert numbers == sorted(numbers, reverse=True) and len(numbers) == 25
    assert "cause=05" in page.content.decode().split('aria-label="分页"')[1]

    assert cadre_client.get(url, {"per_page": 50}).context["paginator"].per_page == 50
    assert (
        cadre_client.get(url, {"q": county_layout["households"]["v12"].number}).context["paginator"].count
        == 1
    )


def test_export_is_an_xlsx_of_the_filtered_rows_and_is_logged(cadre_client, users, village):
    for household in HouseholdFactory.create_batch(3, village=village, attribute="2"):
        MemberFactory(household=household)  # the register sheet has a row per member
    HouseholdFactory(village=village, attribute="1")
    response = cadre_client.get(reverse("households:household_export"), {"attribute": "2"})

    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    today = timezone.localdate().strftime("%Y%m%d")
    assert disposition.startswith("attachment") and f"{quote('户籍台账')}_{today}.xlsx" in disposition
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.active.max_row >= 3
    log = ExportLog.objects.get()
    assert (log.user, log.kind, log.row_count, log.filters) == (
        users["township"],
        "households",
        3,
        {"attribute": "2"},
    )


def _household_with_members(village, n):
    household = HouseholdFactory(village=village)
    MemberFactory(household=household)
    MemberFactory.create_batch(n - 1, household=household, relation="03")
    IncomeRecordFactory(household=household)
    return household


@pytest.mark.parametrize("n", [3, 30])
def test_list_query_budget(cadre_client, village, n, django_assert_max_num_queries):
    HouseholdFactory.create_batch(n, village=village)
    url = reverse("households:household_list")
    cadre_client.get(url)  # warm the code-list cache
    with django_assert_max_num_queries(LIST_BUDGET):
        assert cadre_client.get(url, {"sort": "village"}).status_code == 200


@pytest.mark.parametrize("n", [3, 30])
def test_detail_query_budget(cadre_client, users, village, n, django_assert_max_num_queries):
    household = _household_with_members(village, n)
    cadre_client.post(
        reverse("households:household_update", args=[household.pk]),
        form_data(village, [], number=household.number, attribute="2"),
    )
    cadre_client.get(household.get_absolute_url())
    with django_assert_max_num_queries(DETAIL_BUDGET):
        assert cadre_client.get(household.get_absolute_url()).status_code == 200


def test_create_page_starts_with_one_member_row_with_defaults(cadre_client):
    html = cadre_client.get(reverse("households:household_create")).content.decode()
    row = html[html.index('name="members-0-id_type"') :]
    assert '<option value="1" selected>居民身份证</option>' in row[:400]
    assert 'id="member-template"' in html and "members-__prefix__-name" in html
    assert 'value="1" name="members-TOTAL_FORMS"' in html or 'name="members-TOTAL_FORMS" value="1"' in html


class _FormValues(HTMLParser):
    """What a browser would post back for the page's form, untouched."""

    def __init__(self):
        super().__init__()
        self.values, self._select, self._textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "template":
            self._in_template = True
        if getattr(self, "_in_template", False):
            return
        if tag == "input" and name and attrs.get("type") not in {"submit", "button"}:
            if attrs.get("type") in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.values.setdefault(name, []).append(attrs.get("value", "on"))
            else:
                self.values[name] = attrs.get("value", "")
        elif tag == "select" and name:
            self._select = name
            self.values[name] = ""
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "template":
            self._in_template = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def test_saving_the_edit_page_untouched_changes_nothing(cadre_client, village):
    household = HouseholdFactory(
        village=village, water_safe=True, has_electricity=False, other_causes=";05;", exit_month=None
    )
    MemberFactory(household=household, medical_insurance=True, dibao=False, tekun=None)
    url = reverse("households:household_update", args=[household.pk])
    parser = _FormValues()
    parser.feed(cadre_client.get(url).content.decode())
    assert parser.values["water_safe"] == "true" and parser.values["has_electricity"] == "false"
    assert parser.values["members-0-medical_insurance"] == "true" and parser.values["members-0-tekun"] == ""

    response = cadre_client.post(url, parser.values)

    assert response.status_code == 302
    household.refresh_from_db()
    assert household.water_safe is True and household.has_electricity is False
    assert household.other_causes == ";05;"
    member = household.members.get()
    assert (member.medical_insurance, member.dibao, member.tekun) == (True, False, None)
    assert member.history.count() == 1


def test_export_with_a_hidden_village_exports_nothing(cadre_client, county_layout):
    MemberFactory(household=county_layout["households"]["v21"])
    hidden = county_layout["villages"]["v21"].pk
    response = cadre_client.get(reverse("households:household_export"), {"village": hidden})
    assert response.status_code == 200
    assert ExportLog.objects.get().row_count == 0


def test_history_masks_id_numbers_for_readers(cadre_client, client, users, village):
    cadre_client.post(reverse("households:household_create"), form_data(village, three_people()[:1]))
    household = Household.objects.get(number=NUMBER)
    head = household.members.get()
    new_number = unique_id_number(head.birth_date)
    row = {"id": head.pk, "name": head.name, "relation": "01", "id_type": "1", "status": "1"}
    cadre_client.post(
        reverse("households:household_update", args=[household.pk]),
        form_data(village, [{**row, "id_number": new_number}], initial=1),
    )
    head.refresh_from_db()
    assert head.id_number == new_number

    assert new_number in cadre_client.get(household.get_absolute_url()).content.decode()
    client.force_login(users["inspector"])
    page = client.get(household.get_absolute_url()).content.decode()
    assert new_number not in page and f"{new_number[:6]}********{new_number[-4:]}" in page


def test_login_page_is_chinese(client):
    page = client.get(reverse("login")).content.decode()
    assert "用户名" in page and "密码" in page and ">登录</button>" in page
