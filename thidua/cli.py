"""The ``thidua`` command: Django's manage.py with the project's settings.

``thidua seed-demo`` and ``thidua createadmin`` are spelled with dashes for people; Django's
command names use underscores, so dashes are translated here.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
