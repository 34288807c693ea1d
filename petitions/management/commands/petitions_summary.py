import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from petitions.summary import petitions_summary


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"not a date (YYYY-MM-DD): {value}") from exc


class Command(BaseCommand):
    help = "Counts of petitions by channel, category, state, overdue and satisfaction."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", type=_date, help="received on or after YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", type=_date, help="received on or before YYYY-MM-DD")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, date_from=None, date_to=None, **options):
        if date_from and date_to and date_from > date_to:
            raise CommandError("--from is after --to")
        summary = petitions_summary(date_from=date_from, date_to=date_to, today=timezone.localdate())
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
            return
        period = f"{summary['from'] or '…'} — {summary['to'] or '…'}"
        self.stdout.write(f"信访汇总 {period}：共 {summary['total']} 件，逾期 {summary['overdue']} 件")
        for key, title in (
            ("by_channel", "按渠道"),
            ("by_category", "按类别"),
            ("by_state", "按状态"),
            ("by_satisfaction", "按满意度"),
        ):
            self.stdout.write(f"{title}：")
            for label, count in summary[key].items():
                self.stdout.write(f"  {label}\t{count}")
