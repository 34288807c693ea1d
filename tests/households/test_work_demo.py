"""Demo work records and posts: consistent with the register (each passes the pages' own checks),
and the work checks raise only the deliberate gaps, one gap per check."""

import datetime

from households import demo
from households.checks.runner import find_hits
from households.demo.work import GAPS, OTHER_COUNTIES
from households.models import AssistanceMeasure, Member, PublicPost, WorkRecord
from households.services.work import public_post_problems, work_record_problems

AS_OF = datetime.date(2026, 6, 30)
WORK_RULES = set(GAPS.values())


def test_demo_work_rows_hold_together_and_only_the_gaps_trip_the_work_checks(db):
    demo.build_demo(households=150, seed=4, as_of=AS_OF)
    found = find_hits(today=AS_OF, rule_ids=WORK_RULES | {"MB-032"})
    tripped = {rule_id for rule_id, _household, _member in found.hits}
    assert tripped == WORK_RULES  # MB-032 never: no two members share a phone across counties
    per_rule = {rule_id: 0 for rule_id in WORK_RULES}
    for rule_id, _household, _member in found.hits:
        per_rule[rule_id] += 1
    # the MB-024 gap (a post at 70+) also trips MB-026, besides MB-026's own gap
    assert per_rule == {"MB-024": 1, "MB-025": 1, "MB-026": 2, "MB-029": 1, "MB-031": 1}
    gap_members = {member for _rule, _household, member in found.hits}

    records = WorkRecord.objects.select_related("member__household").exclude(member__in=gap_members)
    assert records.filter(end_date__isnull=True).count() > 20
    for record in records:
        member = record.member
        data = {name: getattr(record, name) for name in ("start_date", "end_date", "county", "monthly_wage")}
        problems = work_record_problems(
            household=member.household, data={**data, "member": member}, record=record, today=AS_OF
        )
        assert not problems.errors, (member.name, dict(problems.errors))
        assert record.company and record.industry and record.channel
        assert 1500 <= record.monthly_wage <= 6000
        if record.end_date is None:
            assert member.work_status not in ("", "0")
            if member.work_status in ("1", "2"):
                assert record.county == "青山县"
            if member.work_status == "3":
                assert record.county in OTHER_COUNTIES

    posts = PublicPost.objects.select_related("member__household").exclude(member__in=gap_members)
    assert posts.exists()
    for post in posts:
        data = {name: getattr(post, name) for name in ("post_type", "hired_on", "months", "monthly_pay")}
        others = {**data, "member": post.member}
        assert not public_post_problems(
            household=post.member.household, data=others, post=post, today=AS_OF
        ).errors
        assert AssistanceMeasure.objects.filter(member=post.member, category="A03").exists()

    for measure in AssistanceMeasure.objects.filter(item="02", member__isnull=False):
        assert measure.member.work_status not in ("", "0")
    rain_dew = AssistanceMeasure.objects.filter(item="13").exclude(member__in=gap_members)
    assert set(rain_dew.values_list("member__student_status", flat=True)) <= {
        "51",
        "52",
        "53",
        "61",
        "62",
        "63",
    }
    assert Member.objects.filter(pk__in=gap_members).count() == len(gap_members)
