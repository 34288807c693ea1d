"""One violation row per (rule, household, member): refused twice by the database, a race tolerated."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from households.checks import run_all_checks
from households.checks import runner as runner_module
from households.models import Household, Violation


def _row(family, member=None):
    now = timezone.now()
    return Violation.objects.create(
        rule_id="HH-003",
        household=family.household,
        member=member,
        severity="E",
        message="x",
        first_seen=now,
        last_seen=now,
    )


@pytest.mark.parametrize("with_member", [False, True])
def test_a_second_row_for_the_same_key_is_refused(family, with_member):
    member = family.head if with_member else None
    _row(family, member)
    with pytest.raises(IntegrityError), transaction.atomic():
        _row(family, member)


def test_rows_for_different_members_coexist(family):
    _row(family, family.head)
    _row(family, family.spouse)
    assert Violation.objects.count() == 2


def test_scan_ignores_a_row_inserted_by_a_concurrent_save(family, monkeypatch):
    Household.objects.filter(pk=family.household.pk).update(member_count=5)
    original = runner_module._new_violation

    def racing(key, found, now):
        # Another process stores the same violation between our read and our insert.
        if key[0] == "HH-003" and not Violation.objects.filter(rule_id="HH-003").exists():
            _row(family)
        return original(key, found, now)

    monkeypatch.setattr(runner_module, "_new_violation", racing)
    run_all_checks(households=Household.objects.filter(pk=family.household.pk))
    assert Violation.objects.filter(rule_id="HH-003").count() == 1
