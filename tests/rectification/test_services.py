"""Every transition: who may make it, from which state, with which required fields."""

import datetime

import pytest

from povertycase.errors import DomainError
from rectification import services
from rectification.models import Evidence, Item, Status, Transition
from tests.rectification.factories import PNG, ItemFactory, pdf_upload

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
ROLES = ["command", "township", "village", "helper", "department", "inspector"]


def _set(item, status):
    Item.objects.filter(pk=item.pk).update(status=status)
    item.refresh_from_db()
    return item


def _with_evidence(item, user):
    Evidence.objects.create(item=item, file=pdf_upload(), original_name="a.pdf", size=10, uploaded_by=user)


ACTIONS = {
    "start": lambda user, item: services.item_start(user=user, item=item),
    "progress": lambda user, item: services.item_add_progress(
        user=user, item=item, date=TODAY, text="已完成鉴定", percent=50
    ),
    "request_closing": lambda user, item: services.item_request_closing(
        user=user, item=item, text="已完成", files=[pdf_upload()]
    ),
    "send_back": lambda user, item: services.item_send_back(user=user, item=item, reason="佐证不足"),
    "close": lambda user, item: services.item_close(user=user, item=item, document="县指〔2026〕1号"),
    "withdraw": lambda user, item: services.item_withdraw(user=user, item=item, reason="重复录入"),
    "reopen": lambda user, item: services.item_reopen(user=user, item=item, reason="回头看再次发现"),
}
# (action, from state) -> roles allowed; every other role and state is refused.
ALLOWED = {
    ("start", "pending"): {"township"},
    ("progress", "pending"): {"township"},
    ("progress", "in_progress"): {"township"},
    ("request_closing", "pending"): {"township"},
    ("request_closing", "in_progress"): {"township"},
    ("send_back", "submitted"): {"command", "inspector"},
    ("close", "submitted"): {"command", "inspector"},
    ("withdraw", "pending"): {"command"},
    ("withdraw", "in_progress"): {"command"},
    ("withdraw", "submitted"): {"command"},
    ("reopen", "closed"): {"command", "inspector"},
}
TARGET = {
    "start": "in_progress",
    "progress": "in_progress",
    "request_closing": "submitted",
    "send_back": "in_progress",
    "close": "closed",
    "withdraw": "withdrawn",
    "reopen": "in_progress",
}
CASES = [(a, s, r) for a in ACTIONS for s in Status.values for r in ROLES]


@pytest.mark.parametrize("action,state,role", CASES)
def test_transition_matrix(action, state, role, item, users, media):
    item = _set(item, state)
    user = users[role]
    if role in ("command", "inspector"):
        item.responsible_person = None  # a verifier is never the responsible person
        item.save()
    allowed = role in ALLOWED.get((action, state), set())
    before = Transition.objects.count()
    if allowed:
        ACTIONS[action](user, item)
        item.refresh_from_db()
        assert item.status == TARGET[action]
        assert Transition.objects.count() == before + 1
    else:
        with pytest.raises(DomainError):
            ACTIONS[action](user, item)
        item.refresh_from_db()
        assert item.status == state
        assert Transition.objects.count() == before


def test_department_works_its_own_items_only(dept_item, item, users):
    services.item_start(user=users["department"], item=dept_item)
    with pytest.raises(DomainError):
        services.item_start(user=users["department"], item=item)


def test_responsible_person_outside_unit_may_work(county_layout, users):
    _, t2 = county_layout["townships"]
    item = ItemFactory(responsible_township=t2, responsible_person=users["village"])
    services.item_start(user=users["village"], item=item)
    assert item.status == "in_progress"


@pytest.mark.parametrize("action", ["send_back", "withdraw", "reopen"])
def test_reason_required(action, item, users):
    item = _set(item, {"send_back": "submitted", "withdraw": "in_progress", "reopen": "closed"}[action])
    user = users["command"]
    item.responsible_person = None
    item.save()
    call = {
        "send_back": services.item_send_back,
        "withdraw": services.item_withdraw,
        "reopen": services.item_reopen,
    }[action]
    with pytest.raises(DomainError) as exc:
        call(user=user, item=item, reason="  ")
    assert exc.value.field == "reason"


def test_closing_needs_evidence(item, users):
    with pytest.raises(DomainError) as exc:
        services.item_request_closing(user=users["township"], item=item, text="完成")
    assert exc.value.field == "files"
    item.refresh_from_db()
    assert item.status == "pending"


def test_closing_with_earlier_evidence(item, users, media):
    services.item_add_progress(
        user=users["township"], item=item, date=TODAY, text="鉴定完成", percent=60, files=[pdf_upload()]
    )
    services.item_request_closing(user=users["township"], item=item)
    assert item.status == "submitted"


def test_verifier_cannot_be_responsible_person(item, users):
    item.responsible_person = users["inspector"]
    item.save()
    _set(item, "submitted")
    with pytest.raises(DomainError):
        services.item_close(user=users["inspector"], item=item)


@pytest.mark.parametrize(
    "name,content,ok",
    [
        ("照片.png", PNG, True),
        ("说明.pdf", b"%PDF-1.7 ...", True),
        ("脚本.exe", b"MZ....", False),
        ("假的.pdf", b"<html>not a pdf</html>", False),
        ("大文件.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024), False),
    ],
)
def test_evidence_type_and_size(name, content, ok, item, users, media):
    call = lambda: services.item_add_progress(  # noqa: E731
        user=users["township"], item=item, date=TODAY, text="x", percent=10, files=[pdf_upload(name, content)]
    )
    if ok:
        call()
        assert item.evidence.count() == 1
    else:
        with pytest.raises(DomainError) as exc:
            call()
        assert exc.value.field == "files"
        assert item.updates.count() == 0 and item.evidence.count() == 0


def test_progress_sets_percent_and_date(item, users):
    services.item_add_progress(user=users["township"], item=item, date=TODAY, text="x", percent=40)
    item.refresh_from_db()
    assert (item.status, item.progress_percent, item.last_progress_on) == ("in_progress", 40, TODAY)
    with pytest.raises(DomainError):
        services.item_add_progress(user=users["township"], item=item, date=TODAY, text="x", percent=140)
    with pytest.raises(DomainError):
        services.item_add_progress(
            user=users["township"], item=item, date=TODAY + datetime.timedelta(days=1), text="x", percent=50
        )


def test_create_requires_one_unit_and_deadline(county_layout, users):
    t1, _ = county_layout["townships"]
    base = {
        "number": "ZG-9001",
        "source": "05",
        "category": ItemFactory.build().category,
        "description": "问题",
        "level": "county",
        "kind": "deadline",
        "deadline": TODAY,
    }
    with pytest.raises(DomainError):
        services.item_create(user=users["command"], data=base)
    with pytest.raises(DomainError):
        services.item_create(
            user=users["command"], data={**base, "responsible_township": t1, "deadline": None}
        )
    with pytest.raises(DomainError):
        services.item_create(user=users["township"], data={**base, "responsible_township": t1})
    item = services.item_create(user=users["command"], data={**base, "responsible_township": t1})
    assert item.status == "pending" and item.transitions.get().action == "create"
    assert item.history.count() == 1


def test_household_target_fills_regions(county_layout, users):
    household = county_layout["households"]["v21"]
    item = services.item_create(
        user=users["command"],
        data={
            "number": "ZG-9002",
            "source": "04",
            "category": ItemFactory.build().category,
            "description": "漏评",
            "level": "household",
            "target_household": household,
            "responsible_department": county_layout["department"],
            "kind": "long_term",
        },
    )
    assert item.target_village == household.village
    assert item.target_township == household.village.township


def test_bulk_assign(item, dept_item, county_layout, users):
    _, t2 = county_layout["townships"]
    count = services.item_assign(user=users["command"], items=[item, dept_item], township=t2)
    assert count == 2
    assert set(Item.objects.values_list("responsible_township", flat=True)) == {t2.pk}
    assert Item.objects.filter(responsible_department__isnull=False).count() == 0
    with pytest.raises(DomainError):
        services.item_assign(user=users["township"], items=[item], township=t2)


def test_overdue_is_derived(item):
    item.deadline = TODAY - datetime.timedelta(days=1)
    item.save()
    assert item.is_overdue
    assert Item.objects.overdue(TODAY).count() == 1
    _set(item, "submitted")
    assert not item.is_overdue and Item.objects.overdue(TODAY).count() == 0
    _set(item, "in_progress")
    assert not item.is_overdue_on(TODAY - datetime.timedelta(days=1))
