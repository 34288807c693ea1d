"""python manage.py export_households FILE [--layout canonical|roster] [--township NAME]"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from households.excel import write_register
from households.excel.roster_writer import write_roster
from households.models import County, Household, Township
from povertycase.core.models import ExportLog


class Command(BaseCommand):
    help = "Writes the household register in the import layout (REGISTER_XLSX.md)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--township", help="only this township (name)")
        parser.add_argument(
            "--layout",
            choices=["canonical", "roster"],
            default="canonical",
            help="canonical register (default) or the national 已脱贫人口名单 roster",
        )

    def handle(self, *args, **options):
        households = Household.objects.all()
        county = County.objects.order_by("pk").first()
        if options["township"]:
            township = Township.objects.filter(name=options["township"]).select_related("county").first()
            if township is None:
                raise CommandError(f"乡(镇)“{options['township']}”不存在")
            households = households.filter(village__township=township)
            county = township.county
        with open(options["file"], "wb") as target:
            if options["layout"] == "roster":
                rows = write_roster(households, target, exported_at=timezone.localtime())
            else:
                rows = write_register(
                    households,
                    target,
                    title_county=county.name if county else "",
                    exported_at=timezone.localtime(),
                )
        ExportLog.objects.create(
            user=None,
            kind="households_command",
            filters={
                "township": options["township"] or "",
                "file": options["file"],
                "layout": options["layout"],
            },
            row_count=rows,
        )
        self.stdout.write(f"已导出 {households.count()} 户 {rows} 人到 {options['file']}")
