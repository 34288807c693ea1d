from django.core.management.base import BaseCommand

from povertycase.core.loading import load_code_lists
from povertycase.core.models import CodeList, Parameter


class Command(BaseCommand):
    help = "Adds the default code lists and parameters that are missing (edited rows are kept)."

    def handle(self, *args, **options):
        load_code_lists(CodeList, Parameter)
        self.stdout.write(f"{CodeList.objects.count()} codes, {Parameter.objects.count()} parameters")
