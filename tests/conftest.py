"""Shared fixtures: the demo city, loaded once per test database, and named personas.

Personas are the demo accounts, one per role (DOMAIN.md §2), named after the people in
DOMAIN.md §10 so a test reads like the day it checks: ``hanh`` drafts for Sông Cầu ward,
``dung`` receives dossiers at the city office, ``mai`` runs the council's secretariat.
"""

from types import SimpleNamespace

import pytest
from django.test import Client

from tests import pipeline
from tests.signin import verified_login
from thidua.home.demo import seed_demo
from thidua.movements.models import Movement
from thidua.nominations import actions as dossier_actions
from thidua.nominations.models import Nominee
from thidua.orgs.models import Organisation, User
from thidua.rulesets.models import AwardForm

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
    """A client signed in as ``user`` (force_login: lock-out checks need a real request), its
    session verified by the second factor when the user has or needs one (tests/signin.py)."""

    def make(user):
        client = Client()
        if user is not None:
            verified_login(client, user)
        return client

    return make


# --- the dossier pipeline, as fixtures (the builders are in tests/pipeline.py) ----------------

@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded and generated files go to the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def movement(demo):
    return Movement.objects.get(number="23/KH-UBND")


@pytest.fixture
def city_certificate(movement):
    return AwardForm.objects.get(rule_set=movement.rule_set, code=pipeline.CITY_CERTIFICATE)


@pytest.fixture
def draft(personas, movement, city_certificate):
    """A draft dossier of Sông Cầu ward with one nominee (Nguyễn Thị Lan), nothing attached."""
    return pipeline.new_draft(movement, city_certificate, personas.hanh)


@pytest.fixture
def submitted(draft, personas):
    pipeline.complete(draft, personas.hanh)
    return dossier_actions.submit_dossier(draft, by=personas.tam)


@pytest.fixture
def accepted(draft, personas):
    """Sông Cầu's dossier with three nominees, accepted by the city office."""
    dossier_actions.add_nominee(draft, pipeline.person(name="Hoàng Văn Nam", year=1979,
                                                       gender="male"), by=personas.hanh)
    dossier_actions.add_nominee(draft, pipeline.person(name="Lục Thị Hoa", year=1990),
                                by=personas.hanh)
    return pipeline.accept(draft, officer=personas.hanh, head=personas.tam, office=personas.dung)


@pytest.fixture
def forwarded(accepted, personas):
    """Committee proposed Nguyễn Thị Lan and Hoàng Văn Nam, not Lục Thị Hoa; forwarded."""
    return pipeline.forward(accepted, personas.dung, not_proposed={"Lục Thị Hoa"})


@pytest.fixture
def council(forwarded, personas):
    """The council meeting on the two proposed, open, all four members present."""
    return pipeline.open_council(forwarded, personas.mai)


@pytest.fixture
def approved(council):
    """The council approved Nguyễn Thị Lan and Hoàng Văn Nam for the city chairman's Giấy khen."""
    return pipeline.approve_all(council)


@pytest.fixture
def province_form(movement):
    """The provincial chairman's Bằng khen: above the city's authority, proposed upward."""
    return AwardForm.objects.get(rule_set=movement.rule_set, code=pipeline.PROVINCE_FORM)


@pytest.fixture
def upward(personas, movement, province_form):
    """Two Sông Cầu people the council proposed for the provincial Bằng khen."""
    dossier = pipeline.new_draft(
        movement, province_form, personas.hanh, pipeline.person(name="Nông Thị Thu Trang"),
        pipeline.person(name="Ma Văn Đức", year=1975, gender="male"))
    dossier = pipeline.accept(dossier, officer=personas.hanh, head=personas.tam,
                              office=personas.dung)
    pipeline.approve_all(pipeline.open_council(pipeline.forward(dossier, personas.dung),
                                               personas.mai))
    # Read afresh: nominees reached through ``dossier.nominees`` would carry the dossier as it
    # was before the council.
    return list(Nominee.objects.filter(dossier=dossier, council_outcome="approved_upward")
                .order_by("order"))


@pytest.fixture
def ward_list(personas, movement):
    """Sông Cầu ward's own list for the ward chairman's Giấy khen (its own authority)."""
    form = AwardForm.objects.get(rule_set=movement.rule_set, code=pipeline.WARD_FORM)
    return pipeline.new_draft(
        movement, form, personas.hanh, pipeline.person(name="Triệu Văn Sơn", year=1982,
                                                       gender="male"),
        pipeline.person(name="Hà Thị Ngọc"))
