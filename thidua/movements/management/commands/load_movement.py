from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from thidua.movements.loader import SEED_PLAN, load_movement


class Command(BaseCommand):
    help = "Nạp một phong trào thi đua (kế hoạch) từ tệp YAML; nạp lại không thay đổi gì."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(SEED_PLAN))

    def handle(self, *args, path, **options):
        try:
            movement, written = load_movement(path)
        except (ValidationError, OSError, KeyError) as exc:
            raise CommandError(f"Không nạp được phong trào: {exc}") from exc
        self.stdout.write(f"Đã nạp “{movement}” ({written} dòng thay đổi).")
