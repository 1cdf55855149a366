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


def signed_in_client(username: str | None):
    """A test client signed in as ``username`` the way a person is after both steps: the password
    (``force_login``) and, for whoever has an authenticator (the demo's privileged accounts), the
    code — the session marked as verified by that device."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from thidua.orgs import mfa
    from thidua.orgs.models import User

    client = Client()
    if username is None:
        return client
    user = User.objects.get(username=username)
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None and mfa.required(user):
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
