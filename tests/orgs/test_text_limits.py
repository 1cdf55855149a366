"""Every free text of organisations, roles and accounts comes in one way (orgs.limits): the one
normaliser, a length limit with a Vietnamese message, and no leading formula in a text that
names someone — through the actions, the admin's forms and the command."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.orgs.test_roles_logged import change_user, form_of
from thidua.core.models import Activity
from thidua.core.text import nfc
from thidua.orgs import actions, limits
from thidua.orgs.models import Membership, Organisation, OrganisationEvent, Role, User

pytestmark = pytest.mark.django_db

DAY = date(2022, 3, 1)
# "Đội" typed with the Icelandic "Ð", a Cyrillic "а" in "Cao", a zero-width space, a
# non-breaking space, a byte-order mark and full-width digits.
MESSY = "Ðội Cаo\u200b Bằng\u00a0\ufeffsố ０１"
CLEAN = "Đội Cao Bằng số 01"


def _ward(demo):
    return demo.org("phuong-song-cau")


# Each way in: (what it stores, its limit, whether it names someone). ``write(text, people,
# demo)`` stores ``text`` there and returns what was stored.
def _created(field):
    def write(text, p, demo):
        values = {"name": "Tổ dân phố 1", "short_name": "", "legal_reference": ""}
        values[field] = text
        org = actions.create_organisation(code="to-dan-pho-1", level="unit", kind="enterprise",
                                          parent=_ward(demo), valid_from=DAY, by=p.admin,
                                          **values)
        return (org.events.get().legal_reference if field == "legal_reference"
                else getattr(org, field))
    return write


def _renamed(field):
    def write(text, p, demo):
        values = {"name": "Phường Sông Cầu mới", "short_name": None, "legal_reference": "",
                  "note": "Đổi tên theo nghị quyết"}
        values[field] = text
        org = actions.rename_organisation(_ward(demo), on=DAY, by=p.admin, **values)
        event = org.events.filter(kind=OrganisationEvent.Kind.RENAMED).get()
        return {"name": org.name, "short_name": org.short_name,
                "legal_reference": event.legal_reference, "note": event.note}[field]
    return write


def _moved(field):
    def write(text, p, demo):
        values = {"legal_reference": "", "note": ""}
        values[field] = text
        actions.move_organisation(_ward(demo), parent=demo.org("ubnd-tp-bac-kan"), on=DAY,
                                  by=p.admin, **values)
        return getattr(_ward(demo).events.get(kind=OrganisationEvent.Kind.MOVED), field)
    return write


def _granted_title(text, p, demo):
    return actions.grant_role(p.stranger, _ward(demo), Role.VIEWER, title=text, by=p.admin).title


def _granted_reason(text, p, demo):
    membership = actions.grant_role(p.stranger, _ward(demo), Role.VIEWER, reason=text, by=p.admin)
    return Activity.objects.get(verb="role.granted", target_id=str(membership.pk)).reason


def _revoked_reason(text, p, demo):
    membership = Membership.objects.get(user=p.hanh, valid_to__isnull=True)
    actions.revoke_role(membership, reason=text, by=p.admin)
    return Activity.objects.filter(verb="role.revoked", target_id=str(membership.pk)).get().reason


def _changed_title(text, p, demo):
    membership = Membership.objects.get(user=p.hanh, valid_to__isnull=True)
    return actions.change_membership(membership, title=text, valid_from=membership.valid_from,
                                     valid_to=None, by=p.admin).title


WAYS_IN = {
    "create: name": (_created("name"), limits.ORGANISATION_NAME, True),
    "create: short name": (_created("short_name"), limits.SHORT_NAME, True),
    "create: legal reference": (_created("legal_reference"), limits.LEGAL_REFERENCE, False),
    "rename: name": (_renamed("name"), limits.ORGANISATION_NAME, True),
    "rename: short name": (_renamed("short_name"), limits.SHORT_NAME, True),
    "rename: legal reference": (_renamed("legal_reference"), limits.LEGAL_REFERENCE, False),
    "rename: note": (_renamed("note"), limits.NOTE, False),
    "move: legal reference": (_moved("legal_reference"), limits.LEGAL_REFERENCE, False),
    "move: note": (_moved("note"), limits.NOTE, False),
    "grant: title": (_granted_title, limits.TITLE, True),
    "grant: reason": (_granted_reason, limits.REASON, False),
    "revoke: reason": (_revoked_reason, limits.REASON, False),
    "change: title": (_changed_title, limits.TITLE, True),
}


def _counts():
    return (Organisation.objects.count(), OrganisationEvent.objects.count(),
            Membership.objects.count(), Activity.objects.count())


@pytest.mark.parametrize("way", WAYS_IN)
def test_each_text_is_stored_normalised(way, personas, demo):
    write, _limit, _naming = WAYS_IN[way]
    assert write(MESSY, personas, demo) == CLEAN


@pytest.mark.parametrize("way", WAYS_IN)
def test_each_text_over_its_limit_is_refused_in_vietnamese_and_nothing_is_written(
        way, personas, demo):
    write, limit, _naming = WAYS_IN[way]
    before = _counts()
    shown = f"{limit + 1:,}".replace(",", ".")  # "2.001", as Vietnamese write numbers
    with pytest.raises(ValidationError, match=f"dài quá .* ký tự \\(có {shown} ký tự\\)"):
        write("a" * (limit + 1), personas, demo)
    assert _counts() == before
    # Invisible characters do not count: the limit is on the text as stored.
    assert len(write("\u200b" + "a" * limit, personas, demo)) == limit


@pytest.mark.parametrize("way", WAYS_IN)
def test_a_naming_text_may_not_start_like_a_formula_and_the_others_may_start_with_a_dash(
        way, personas, demo):
    write, _limit, naming = WAYS_IN[way]
    if naming:
        for text in ("=HYPERLINK(\"http://x\")", "+cmd", "@SUM(A1)", "\u200b-1+2", "＝1+1"):
            with pytest.raises(ValidationError, match="không được bắt đầu bằng"):
                write(text, personas, demo)
    else:
        assert write("- theo Quyết định 12/QĐ-UBND", personas, demo).startswith("- theo")


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list("Ðaаоc ĐđHН\u200b\u00a0\ufeff\u00ad１Bằng-=")),
               max_size=60))
def test_a_role_title_is_the_normalisers_text_or_refused(personas, text):
    membership = Membership.objects.get(user=personas.hanh, valid_to__isnull=True)
    try:
        stored = actions.change_membership(membership, title=text,
                                           valid_from=membership.valid_from, valid_to=None,
                                           by=personas.admin).title
    except ValidationError as exc:
        assert "công thức" in exc.messages[0]
        assert nfc(text)[:1] in "=-"
    else:
        assert stored == nfc(text)
        assert Membership.objects.get(pk=membership.pk).title == stored


# --- the admin's forms -----------------------------------------------------------------------

ADD_ORG = "/quan-tri/orgs/organisation/add/"


def _org_form(demo, **changes):
    data = {"code": "to-dan-pho-2", "name": "Tổ dân phố 2", "short_name": "", "level": "unit",
            "kind": "enterprise", "parent": str(_ward(demo).pk), "valid_from": "2022-03-01",
            "legal_reference": ""}
    return {**data, **changes}


def test_the_admin_founds_an_organisation_with_normalised_texts(personas, demo, client_for):
    client = client_for(personas.admin)
    response = client.post(ADD_ORG, _org_form(demo, name=MESSY, legal_reference="QĐ\u200b 12"))
    assert response.status_code == 302
    org = Organisation.objects.get(code="to-dan-pho-2")
    assert org.name == CLEAN and org.events.get().legal_reference == "QĐ 12"


@pytest.mark.parametrize(("field", "text", "message"), [
    ("name", "=1+1", "không được bắt đầu bằng"),
    ("short_name", "@A1", "không được bắt đầu bằng"),
    ("legal_reference", "x" * (limits.LEGAL_REFERENCE + 1), "dài quá 255 ký tự"),
    ("name", "\u200b\u00a0", "không được để trống"),
])
def test_the_admin_form_shows_the_message_beside_the_field_and_founds_nothing(
        personas, demo, client_for, field, text, message):
    client = client_for(personas.admin)
    response = client.post(ADD_ORG, _org_form(demo, **{field: text}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Organisation.objects.filter(code="to-dan-pho-2").exists()


def test_the_admin_stores_an_accounts_names_normalised_and_refuses_a_formula(personas,
                                                                          client_for):
    client = client_for(personas.admin)
    change_user(client, personas.stranger, full_name="Ðinh Vаn\u200b Bình", phone="+84 912 ０００")
    personas.stranger.refresh_from_db()
    assert (personas.stranger.full_name, personas.stranger.phone) == ("Đinh Van Bình",
                                                                      "+84 912 000")
    url = f"/quan-tri/orgs/user/{personas.stranger.pk}/change/"
    data = form_of(client.get(url))
    data["full_name"] = ["=HYPERLINK(\"x\")"]
    page = client.post(url, data).content.decode()
    assert "không được bắt đầu bằng" in page
    personas.stranger.refresh_from_db()
    assert personas.stranger.full_name == "Đinh Van Bình"


def test_a_look_alike_user_name_is_the_same_name_and_is_refused(personas, client_for):
    client = client_for(personas.admin)
    before = User.objects.count()
    response = client.post("/quan-tri/orgs/user/add/", {
        "username": "chutiсh",  # Cyrillic "с"
        "usable_password": "true", "password1": "Mot-mat-khau-dai-2026",
        "password2": "Mot-mat-khau-dai-2026"})
    assert response.status_code == 200 and User.objects.count() == before


def test_the_admin_role_title_goes_the_same_way(personas, demo, client_for):
    from tests.orgs.test_roles_logged import add_role_row

    client = client_for(personas.admin)
    existing = Membership.objects.filter(user=personas.stranger).count()
    change_user(client, personas.stranger, **add_role_row(
        {}, existing, _ward(demo), Role.VIEWER, title="Thanh\u00a0tra\u200b viên"))
    assert Membership.objects.get(user=personas.stranger).title == "Thanh tra viên"


def test_createadmin_normalises_and_refuses_like_the_forms(demo, monkeypatch):
    monkeypatch.setenv("THIDUA_ADMIN_PASSWORD", "Mot-mat-khau-dai-2026")
    call_command("createadmin", username="quantri2", full_name="Ðào\u200b Văn Hà",
                 stdout=io.StringIO())
    assert User.objects.get(username="quantri2").full_name == "Đào Văn Hà"
    with pytest.raises(CommandError, match="không được bắt đầu bằng"):
        call_command("createadmin", username="quantri3", full_name="=cmd", stdout=io.StringIO())
