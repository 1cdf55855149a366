"""Every free text of meetings, minutes and public disclosures has a limit that fits its use,
stated on the form, enforced by the form and again by the action with a Vietnamese message that
names the field — whichever way the text comes in, nothing is half-written (issue 10, item 8)."""

import inspect
import unicodedata

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from tests.pipeline import council_people, next_working_day, open_council
from thidua.nominations.models import Dossier, Nominee
from thidua.reviews import actions, disclosures, limits
from thidua.reviews import forms as review_forms
from thidua.reviews.models import (
    AgendaItem,
    Disclosure,
    Meeting,
    MinutesRevision,
    Objection,
    Recusal,
)

pytestmark = pytest.mark.django_db

TEXT_FIELDS = (models.CharField, models.TextField)


# --- the class: no unlimited text anywhere ----------------------------------------------------

@pytest.mark.parametrize("app", ["reviews", "rulesets"])
def test_every_text_column_has_a_limit(app):
    for model in apps.get_app_config(app).get_models():
        for field in model._meta.get_fields():
            if isinstance(field, TEXT_FIELDS) and field.editable:
                assert field.max_length, f"{model.__name__}.{field.name} has no limit"
                assert not isinstance(field, models.TextField) or field.max_length


def form_classes():
    return [cls for _name, cls in inspect.getmembers(review_forms, inspect.isclass)
            if issubclass(cls, forms.BaseForm) and cls.__module__ == review_forms.__name__]


@pytest.mark.parametrize("form_class", form_classes(), ids=lambda c: c.__name__)
def test_every_free_text_of_a_form_states_and_enforces_its_limit(form_class):
    for name, field in form_class.base_fields.items():
        if type(field) is forms.CharField or isinstance(field, review_forms.LimitedText):
            if isinstance(field.widget, forms.HiddenInput) or name == "website":
                continue  # the robots' trap holds no text anyone keeps
            assert isinstance(field, review_forms.LimitedText), f"{form_class.__name__}.{name}"
            assert field.max_length, name
            assert str(field.max_length) in str(field.help_text), name
            assert field.widget_attrs(field.widget)["maxlength"] == str(field.max_length)


def test_the_limit_counts_characters_as_stored():
    """Composed or decomposed, the same words are the same length."""
    text = "Nguyễn Thị Lan vắng mặt vì công tác đột xuất"
    room = limits.RECUSAL_REASON - len(text)
    decomposed = unicodedata.normalize("NFD", text + "ệ" * room)
    assert len(decomposed) > limits.RECUSAL_REASON
    form = review_forms.RecuseForm({"reason": decomposed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["reason"] == unicodedata.normalize("NFC", decomposed)
    assert not review_forms.RecuseForm({"reason": decomposed + "x"}).is_valid()


# --- the actions refuse a longer text, naming the field ---------------------------------------

def too_long(limit):
    return "ý" * (limit + 1)


@pytest.fixture
def open_committee(accepted, personas):
    meeting = actions.create_meeting(
        kind="committee", movement=accepted.movement, title="Họp", place="P1",
        scheduled_at=timezone.now(), chair=personas.dung, secretary=personas.dung,
        nominees=list(accepted.nominees.all()), by=personas.dung)
    return actions.open_meeting(meeting, by=personas.dung)


@pytest.fixture
def disclosure(forwarded, personas):
    return disclosures.publish_disclosure(
        movement=forwarded.movement,
        nominees=list(forwarded.nominees.filter(committee_conclusion="propose")),
        starts_on=timezone.localdate(), ends_on=next_working_day(12), title="Công khai",
        by=personas.mai)


def snapshot():
    return [list(model.objects.order_by("pk").values()) for model in
            (Meeting, AgendaItem, Recusal, MinutesRevision, Disclosure, Objection)]


def test_meeting_title_and_place(accepted, personas):
    kwargs = {"kind": "committee", "movement": accepted.movement, "scheduled_at": timezone.now(),
              "chair": personas.dung, "secretary": personas.dung,
              "nominees": list(accepted.nominees.all()), "by": personas.dung}
    for field, label, limit in [("title", "Tên phiên họp", limits.TITLE),
                                ("place", "Địa điểm", limits.PLACE)]:
        values = {"title": "Họp", "place": "P1", field: too_long(limit)}
        with pytest.raises(ValidationError, match=f"“{label}” dài {limit + 1} ký tự, quá giới "
                                                  f"hạn {limit} ký tự; hãy rút gọn"):
            actions.create_meeting(**kwargs, **values)
    assert not Meeting.objects.exists()
    exact = actions.create_meeting(**kwargs, title="ý" * limits.TITLE, place="P1")
    assert len(exact.title) == limits.TITLE


def test_conclusion_and_adjournment(open_committee, personas):
    item = open_committee.items.first()
    cases = [
        ("Lý do", limits.CONCLUSION_REASON, lambda text: actions.set_conclusion(
            item, conclusion="not_propose", reason=text, by=personas.dung)),
        ("Lý do hoãn", limits.ADJOURN_REASON, lambda text: actions.adjourn_meeting(
            open_committee, reason=text, by=personas.dung)),
    ]
    before = snapshot()
    for label, limit, act in cases:
        with pytest.raises(ValidationError, match=f"^\\['“{label}” dài {limit + 1} ký tự"):
            act(too_long(limit))
    assert snapshot() == before
    for _label, limit, act in cases:
        act("ý" * limit)  # exactly the limit is taken


def test_recusal(council, personas):
    item, member = council.items.first(), council.members.first()
    with pytest.raises(ValidationError, match="“Lý do không tham gia biểu quyết” dài 301 ký tự"):
        actions.recuse(item, member=member, reason=too_long(limits.RECUSAL_REASON),
                       by=personas.mai)
    assert not Recusal.objects.exists()
    actions.recuse(item, member=member, reason="ý" * limits.RECUSAL_REASON, by=personas.mai)


def test_minutes_correction(council, personas):
    people = council_people()
    for key in ["chair", "vice", "member", "health"]:
        for item in council.items.all():
            actions.cast_vote(item, choice="agree", by=people[key])
    closed = actions.close_meeting(council, by=personas.mai)
    before = snapshot()
    with pytest.raises(ValidationError, match="“Lý do điều chỉnh” dài 501 ký tự"):
        actions.correct_minutes(closed, notes="x", reason=too_long(limits.CORRECTION_REASON),
                                by=personas.mai)
    with pytest.raises(ValidationError, match="“Ghi chú, điều chỉnh của biên bản” dài 10001 ký tự"):
        actions.correct_minutes(closed, notes=too_long(limits.MINUTES_NOTES), reason="Bổ sung",
                                by=personas.mai)
    assert snapshot() == before
    notes = "\n".join(["ý" * 99] * 100)  # 100 lines: 9,900 letters and 99 line breaks
    assert len(notes) == limits.MINUTES_NOTES - 1
    assert actions.correct_minutes(closed, notes=notes, reason="Bổ sung",
                                   by=personas.mai).data["notes"] == notes


def test_disclosure_objection_and_handling(forwarded, disclosure, personas):
    lan = Nominee.objects.get(full_name="Nguyễn Thị Lan")
    with pytest.raises(ValidationError, match="“Tiêu đề” dài 256 ký tự"):
        disclosures.publish_disclosure(
            movement=forwarded.movement, nominees=[lan], starts_on=timezone.localdate(),
            ends_on=next_working_day(12), title=too_long(limits.TITLE), by=personas.mai)
    objection = {"name": "Nguyễn Văn Dân", "contact": "0912345678", "text": "Đề nghị xem lại"}
    for field, label, limit in [("name", "Họ và tên", limits.OBJECTION_NAME),
                                ("contact", "Số điện thoại hoặc thư điện tử",
                                 limits.OBJECTION_CONTACT),
                                ("text", "Nội dung ý kiến", limits.OBJECTION_TEXT)]:
        with pytest.raises(ValidationError, match=f"“{label}” dài {limit + 1} ký tự"):
            disclosures.submit_objection(disclosure, nominee=lan,
                                         **{**objection, field: too_long(limit)})
    assert Disclosure.objects.count() == 1 and not Objection.objects.exists()
    sent = disclosures.submit_objection(disclosure, nominee=lan, **objection)
    meeting = open_council(Dossier.objects.get(pk=forwarded.pk), personas.mai)
    with pytest.raises(ValidationError, match="“Kết quả xử lý” dài 2001 ký tự"):
        disclosures.record_objection_handling(sent, meeting=meeting,
                                              handling=too_long(limits.OBJECTION_HANDLING),
                                              by=personas.mai)
    sent.refresh_from_db()
    assert sent.handling == ""


# --- the pages say it and refuse it too ---------------------------------------------------------

def test_the_meeting_page_states_each_limit(council, personas, client_for):
    page = client_for(personas.mai).get(f"/hop/{council.pk}/").content.decode()
    for limit in [limits.ADJOURN_REASON]:
        assert f'maxlength="{limit}"' in page
        assert f"Tối đa {limit} ký tự." in page
    member_page = client_for(council_people()["member"]).get(f"/hop/{council.pk}/").content
    assert f'maxlength="{limits.RECUSAL_REASON}"'.encode() in member_page
    assert f"Tối đa {limits.RECUSAL_REASON} ký tự.".encode() in member_page


def test_a_long_text_posted_to_a_page_is_refused_with_the_fields_name(council, personas,
                                                                      client_for):
    client = client_for(personas.mai)
    response = client.post(f"/hop/{council.pk}/hoan/",
                           {"reason": too_long(limits.ADJOURN_REASON)}, follow=True)
    assert "Lý do hoãn: " in response.content.decode()
    assert Meeting.objects.get(pk=council.pk).state == Meeting.State.OPEN
    member = council_people()["member"]
    item = council.items.first()
    response = client_for(member).post(f"/hop/{council.pk}/muc/{item.pk}/khong-bieu-quyet/",
                                       {"reason": too_long(limits.RECUSAL_REASON)}, follow=True)
    assert "Lý do không tham gia biểu quyết: " in response.content.decode()
    assert not Recusal.objects.exists()


def test_the_public_objection_form_states_and_enforces_its_limits(disclosure, client):
    page = client.get(f"/cong-khai/{disclosure.pk}/").content.decode()
    for limit in [limits.OBJECTION_NAME, limits.OBJECTION_CONTACT, limits.OBJECTION_TEXT]:
        assert f'maxlength="{limit}"' in page and f"Tối đa {limit} ký tự." in page
    lan = Nominee.objects.get(full_name="Nguyễn Thị Lan")
    response = client.post(f"/cong-khai/{disclosure.pk}/", {
        "nominee": lan.pk, "name": "Dân", "contact": "0912",
        "text": too_long(limits.OBJECTION_TEXT), "website": ""})
    assert response.status_code == 200 and not Objection.objects.exists()
