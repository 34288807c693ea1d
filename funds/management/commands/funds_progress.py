"""`manage.py funds_progress [--year YYYY] [--as-of YYYY-MM-DD] [--json]`: the county's disbursement."""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from funds.progress import compute


class Command(BaseCommand):
    help = "Paid ÷ allocated for the year, by fund source and by unit."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="the allocations' year (default: this year)")
        parser.add_argument(
            "--as-of", dest="as_of", help="count payments up to this date, YYYY-MM-DD (default: today)"
        )
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, year=None, as_of=None, json=False, **options):
        today = timezone.localdate()
        try:
            as_of = datetime.date.fromisoformat(as_of) if as_of else today
        except ValueError as exc:
            raise CommandError(f"not a date (like 2026-12-22): {as_of}") from exc
        progress = compute(year=year or as_of.year, as_of=as_of)
        if json:
            self.stdout.write(_dumps(progress.as_json()))
            return
        self.stdout.write(_line(f"{progress.year}年 全县", progress.total))
        for row in progress.by_source:
            self.stdout.write(_line(f"  {row.label}", row))
        for row in progress.by_unit:
            self.stdout.write(
                _line(f"  {row.label}", row) + f"  项目 {row.projects}，滞后 {row.behind_schedule}"
            )


def _line(label, row) -> str:
    percent = "—" if row.rate is None else f"{row.rate:.1%}"
    return f"{label}: 下达 {row.allocated:,.2f} 元，拨付 {row.paid:,.2f} 元，进度 {percent}"


def _dumps(data):
    return json.dumps(data, ensure_ascii=False, indent=2)
