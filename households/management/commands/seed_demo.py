"""`manage.py seed_demo --households N [--seed S] [--reset | --if-empty]`: the demo county."""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from households import demo
from households.demo.signals import demo_resetting, demo_seeded
from households.models import Household


class Command(BaseCommand):
    help = "Build the demo county 青山县 with N households, one account per role and ~5% deliberate flaws."

    def add_arguments(self, parser):
        parser.add_argument(
            "--households", type=int, default=2000, help="number of households (default 2000)"
        )
        parser.add_argument("--seed", type=int, default=1, help="random seed; same seed, same data")
        parser.add_argument(
            "--reset", action="store_true", help="delete the register and demo accounts first"
        )
        parser.add_argument("--if-empty", action="store_true", help="do nothing when households exist")
        parser.add_argument(
            "--as-of", type=datetime.date.fromisoformat, help="reference date for ages (today)"
        )
        parser.add_argument("--flaws-json", help="write {household number: flaw kind} to this file")

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        if options["households"] < 1:
            raise CommandError("--households must be at least 1.")
        existing = Household.objects.count()
        if existing and options["if_empty"]:
            self.stdout.write(f"{existing} households already exist; seed_demo left them alone.")
            return
        if existing and not options["reset"]:
            raise CommandError(
                f"{existing} households already exist. Run with --reset to delete the register and "
                "the demo accounts and build again, or with --if-empty to skip."
            )
        if options["reset"]:
            demo_resetting.send(sender=self.__class__)  # e.g. ledger items point at the register
            kept = demo.reset_demo()
            self.stdout.write(f"Deleted {existing} households and the demo accounts.")
            if kept:
                self.stdout.write(f"Kept accounts still referenced elsewhere: {', '.join(kept)}")
        result = demo.build_demo(
            households=options["households"],
            seed=options["seed"],
            as_of=options["as_of"],
            progress=self._progress,
        )
        self._report(result)
        demo_seeded.send(
            sender=self.__class__,
            seed=options["seed"],
            today=options["as_of"] or datetime.date.today(),
            report=self.stdout.write,
        )
        if options["flaws_json"]:
            with open(options["flaws_json"], "w", encoding="utf-8") as handle:
                json.dump(result.flaws, handle, ensure_ascii=False, indent=1, sort_keys=True)

    def _progress(self, result) -> None:
        if self.verbosity >= 2:
            self.stdout.write(f"  {result.households} households …")

    def _report(self, result) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"Built {result.households} households, {result.members} members, {result.measures} measures "
                f"in {result.villages} villages in {result.seconds:.1f} s."
            )
        )
        self.stdout.write(f"Accounts (password {demo.DEMO_PASSWORD}): {', '.join(demo.DEMO_USERS)}")
        self.stdout.write(f"Deliberate inconsistencies: {len(result.flaws)} households")
        for kind, spec in demo.KINDS.items():
            self.stdout.write(
                f"  {spec.check:7} {kind:28} {result.flaw_counts.get(kind, 0):5}  {spec.description}"
            )
