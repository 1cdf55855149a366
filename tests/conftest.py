"""Shared fixtures: the demo city, loaded once per test database, and named personas.

Personas are the demo accounts, one per role (DOMAIN.md §2), named after the people in
DOMAIN.md §10 so a test reads like the day it checks: ``hanh`` drafts for Sông Cầu ward,
``dung`` receives dossiers at the city office, ``mai`` runs the council's secretariat.
"""

from types import SimpleNamespace

import pytest
from django.test import Client

from thidua.orgs.demo import seed_demo
from thidua.orgs.models import Organisation, User

PERSONAS = {
    "hanh": "canbo.songcau",      # unit emulation officer, Sông Cầu ward
    "tam": "chutich.songcau",     # unit head, Sông Cầu ward
    "thu": "canbo.ducxuan",       # unit emulation officer, Đức Xuân ward
    "dung": "vanphong",           # receiving office (Văn phòng HĐND và UBND)
    "mai": "noivu",               # council secretariat (Phòng Nội vụ)
    "khanh": "hoidong",           # council member
    "binh": "chutich",            # city chairman
    "lan": "bientap",             # communications editor
    "quy": "thanhtra",            # viewer / inspector
    "admin": "quantri",           # administrator
}


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Seed the demo city once; each test's transaction rolls back to this state."""
    from django.test import override_settings

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        seed_demo()


@pytest.fixture
def demo(db):
    """The demo data, reseeded if a transactional test flushed it."""
    if not Organisation.objects.filter(code="ubnd-tp-bac-kan").exists():
        seed_demo()
    return SimpleNamespace(org=lambda code: Organisation.objects.get(code=code))


@pytest.fixture
def personas(demo):
    users = {name: User.objects.get(username=username) for name, username in PERSONAS.items()}
    users["stranger"] = User.objects.create_user("nguoila", password="Mot-mat-khau-dai-2021")
    return SimpleNamespace(**users)


@pytest.fixture
def client_for():
    """A client signed in as ``user`` (force_login: lock-out checks need a real request)."""

    def make(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make
