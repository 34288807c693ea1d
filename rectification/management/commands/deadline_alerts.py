"""python manage.py deadline_alerts [--date YYYY-MM-DD] [--json]: the daily alert job for one day."""

import datetime
import json

from django.core.management.base import BaseCommand
from django.utils import timezone

from rectification.alerts import run_daily_alerts


class Command(BaseCommand):
    help = "Sends the ledger reminders and exit-milestone alerts of a day (default today); safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", type=datetime.date.fromisoformat, help="the day to run for (YYYY-MM-DD)"
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, **options):
        today = options["date"] or timezone.localdate()
        result = run_daily_alerts(today)
        if options["json"]:
            self.stdout.write(json.dumps(result))
            return
        self.stdout.write(
            f"{today}: 即将到期 {result['due_soon']} 项，逾期 {result['overdue']} 项，"
            f"逾期超7天 {result['escalated']} 项，长期事项本月未报进展 {result['stale_long_term']} 项；"
            f"新发提醒 {result['notifications_created']} 条。"
        )
        milestones = result["exit_milestones"]
        self.stdout.write(
            f"退出程序时间节点：7天内到期 {milestones['due_7']} 个，3天内到期 {milestones['due_3']} 个，"
            f"已逾期 {milestones['overdue']} 个，未完成的户 {milestones['households_behind']} 户；"
            f"新发提醒 {milestones['notifications_created']} 条。"
        )
