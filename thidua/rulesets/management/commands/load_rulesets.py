from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from thidua.rulesets.loader import DEFAULT_PATH, load_rule_sets


class Command(BaseCommand):
    help = "Nạp các bộ quy tắc khen thưởng từ tệp YAML (nạp lại không thay đổi gì)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH))

    def handle(self, *args, path, **options):
        try:
            written = load_rule_sets(path)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Đã nạp bộ quy tắc: {written}")
