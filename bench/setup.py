"""The database every benchmark of `make bench` starts from: a fresh SQLite file in a temporary
folder, migrated, with the bare demo (organisations, accounts, the seed movement)."""

import io
import os
import tempfile
from pathlib import Path


def demo_database() -> None:
    var = Path(tempfile.mkdtemp(prefix="thidua-bench-"))
    os.environ["THIDUA_VAR_DIR"] = str(var)
    os.environ.pop("DATABASE_URL", None)
    os.environ["THIDUA_ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        call_command("seed_demo", "--empty", verbosity=0, stdout=io.StringIO())
