"""Every free-text field of decisions and proposals has a limit that fits its use: stated in the
form, checked by the form on the text as it will be kept, and checked by the action for every
caller — one character over is refused with the field, its length and its limit, and nothing is
written; the limit itself is accepted."""

from datetime import date

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from tests.pipeline import council_people, draft_ward
from thidua.decisions import actions, limits, proposals
from thidua.decisions import forms as decision_forms
from thidua.decisions import models as decision_models
from thidua.decisions.models import Decision, Proposal

pytestmark = pytest.mark.django_db

# Written by the product, never typed, or copied from a field whose limit is the nominee's.
NOT_TYPED = {("CertificateBatch", "error"), ("CertificateBatch", "base_url"),
             ("CertificateBatch", "task_id"), ("ProposalItem", "achievements"),
             ("ProposalAttachment", "original_name"), ("ProposalAttachment", "content_type"),
             ("ProposalAttachment", "sha256")}


def test_every_text_field_of_the_models_has_a_limit():
    unbounded = [
        (model.__name__, field.name)
        for model in vars(decision_models).values()
        if isinstance(model, type) and issubclass(model, models.Model) and not model._meta.abstract
        and model._meta.app_label == "decisions"
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField | models.CharField) and not field.choices
        and field.max_length is None and (model.__name__, field.name) not in NOT_TYPED
    ]
    assert unbounded == []


def form_classes():
    return [form for form in vars(decision_forms).values()
            if isinstance(form, type) and issubclass(form, forms.Form) and form is not forms.Form]


@pytest.mark.parametrize("form", form_classes(), ids=lambda form: form.__name__)
def test_every_text_field_of_the_forms_states_its_limit(form):
    for name, field in form.base_fields.items():
        if type(field) is forms.CharField or isinstance(field, decision_forms.BoundedText):
            assert isinstance(field, decision_forms.BoundedText), name
            assert field.max_length, name
            assert f"Tối đa {field.max_length} ký tự." in str(field.help_text), name
            assert field.widget.attrs["maxlength"] == str(field.max_length)


def test_the_amendment_lines_state_their_limits(approved, movement, city_certificate, personas):
    issued = actions.issue_decision(draft_for(movement, city_certificate, approved, personas.mai),
                                    by=personas.binh)
    awards = list(issued.awards.all())
    form = decision_forms.AmendmentForm(decision=issued, awards=awards)
    for award in awards:
        for field, limit in [("name", limits.NAME), ("citation", limits.CITATION)]:
            bound = form.fields[f"{field}-{award.pk}"]
            assert bound.max_length == limit and f"Tối đa {limit} ký tự." in str(bound.help_text)


def lines_of(total: int) -> str:
    """A text of ``total`` characters once kept, typed as a browser sends it (CRLF)."""
    line = "Căn cứ Nghị định số 98/2023/NĐ-CP;"
    count = total // (len(line) + 1)
    text = "\r\n".join([line] * count)
    pad = total - len(text.replace("\r\n", "\n")) - 1
    return text + "\r\n" + "x" * pad


def test_the_form_counts_the_text_as_it_will_be_kept(approved, movement, city_certificate,
                                                    personas, client_for):
    url = f"/quyet-dinh/phong-trao/{movement.slug}/moi/"
    data = {"award_form": city_certificate.pk, "number": 77, "series": "QĐ-UBND",
            "issued_on": "2021-12-20", "signer": council_people()["chair"].pk,
            "signer_capacity": "TM. ỦY BAN NHÂN DÂN", "nominees": [n.pk for n in approved]}
    client = client_for(personas.mai)
    too_long = client.post(url, {**data, "legal_grounds": lines_of(limits.GROUNDS + 1)})
    page = too_long.content.decode()
    assert too_long.status_code == 200 and "Tối đa 4000 ký tự." in page
    assert "4001" in page and not Decision.objects.exists()
    # Exactly the limit, with CRLF line breaks the browser counted as one character each.
    grounds = lines_of(limits.GROUNDS)
    assert len(grounds) > limits.GROUNDS
    assert client.post(url, {**data, "legal_grounds": grounds}).status_code == 302
    assert len(Decision.objects.get().legal_grounds) == limits.GROUNDS


def over(limit):
    return "ă" * (limit + 1)


def draft_for(movement, form, nominees, by, **values):
    return actions.draft_decision(
        movement=movement, award_form=form, nominees=nominees, number=1234,
        issued_on=date(2021, 12, 20), signer=council_people()["chair"], by=by,
        **{"legal_grounds": "Căn cứ;", **values})


def city_decision(ctx, **values):
    return draft_for(ctx["movement"], ctx["form"], ctx["approved"], ctx["mai"], **values)


def once(ctx, key, make):
    """What a case acts on, made once: the refused call and the accepted one act on it."""
    if key not in ctx:
        ctx[key] = make()
    return ctx[key]


def amendment(ctx, **line):
    issued = once(ctx, "issued", lambda: actions.issue_decision(city_decision(ctx),
                                                               by=ctx["binh"]))
    return actions.draft_amendment(issued, corrections={issued.awards.first(): line},
                                   number=99, issued_on=date(2021, 12, 28),
                                   signer=issued.signer, legal_grounds="Căn cứ;", by=ctx["mai"])


def proposal(ctx, **values):
    return proposals.draft_proposal(
        movement=ctx["movement"], award_form=ctx["province"], nominees=ctx["upward"], number=56,
        dated_on=date(2021, 12, 22), signer=council_people()["chair"],
        by=ctx["mai"], **{"grounds": "Căn cứ;", **values})


def sent(ctx):
    return once(ctx, "sent", lambda: proposals.send_proposal(proposal(ctx), by=ctx["mai"],
                                                            expected_state="draft"))


def returned(ctx):
    return once(ctx, "returned", lambda: proposals.record_return(
        sent(ctx), reason="Bổ sung", by=ctx["mai"], expected_state="sent"))


CASES = {
    "legal grounds": (lambda c, v: city_decision(c, legal_grounds=v), limits.GROUNDS, "Căn cứ"),
    "place": (lambda c, v: city_decision(c, place=v), limits.PLACE, "Địa danh"),
    "series": (lambda c, v: city_decision(c, series="QĐ-" + "U" * (len(v) - 3)),
               limits.SERIES, "Ký hiệu"),
    "unit signer position": (
        lambda c, v: draft_ward(c["ward_list"], c["hanh"], signer_capacity="",
                                signer_position=v), limits.SIGNER_POSITION,
        "Chức danh người ký"),
    "corrected name": (lambda c, v: amendment(c, name=v), limits.NAME, "Họ và tên"),
    "corrected citation": (lambda c, v: amendment(c, citation=v), limits.CITATION,
                           "Trích lời khen"),
    "proposal grounds": (lambda c, v: proposal(c, grounds=v), limits.GROUNDS, "Căn cứ"),
    "recipient": (lambda c, v: proposal(c, recipient=v), limits.RECIPIENT, "Kính gửi"),
    "return reason": (lambda c, v: proposals.record_return(sent(c), reason=v, by=c["mai"],
                                                           expected_state="sent"),
                      limits.REASON, "Nội dung cấp trên yêu cầu bổ sung"),
    "resend note": (lambda c, v: proposals.send_proposal(
        returned(c), by=c["mai"], note=v, expected_state="returned"), limits.REASON,
        "Đã bổ sung những gì"),
    "higher number": (lambda c, v: higher(c, number=v), limits.HIGHER_NUMBER, "Số quyết định"),
    "higher issuer": (lambda c, v: higher(c, issuer_name=v), limits.ISSUER_NAME,
                      "Người, cơ quan quyết định"),
    "awarded form": (lambda c, v: higher(c, awarded_form=v), limits.NAME, "Hình thức được khen"),
}


def higher(ctx, **values):
    return proposals.record_higher_decision(
        sent(ctx), by=ctx["mai"], expected_state="sent", awarded=[],
        **{"number": "2345/QĐ-UBND", "decided_on": date(2022, 1, 5),
           "issuer_name": "Chủ tịch UBND tỉnh", **values})


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_one_character_over_is_refused_and_the_limit_accepted(case, request, personas, movement,
                                                              city_certificate, province_form):
    call, limit, label = CASES[case]
    needs = {"approved"} if case in {"legal grounds", "place", "series", "corrected name",
                                     "corrected citation"} else set()
    needs |= {"ward_list"} if case == "unit signer position" else set()
    needs |= {"upward"} if case not in needs and "ward_list" not in needs else set()
    ctx = {"movement": movement, "form": city_certificate, "province": province_form,
           "mai": personas.mai, "hanh": personas.hanh, "binh": personas.binh,
           **{name: request.getfixturevalue(name) for name in needs}}
    before = (Decision.objects.count(), Proposal.objects.count())
    with pytest.raises(ValidationError) as refused:
        call(ctx, over(limit))
    message = refused.value.messages[0]
    assert label in message and f"quá giới hạn {limit} ký tự" in message
    assert f"dài {limit + 1} ký tự" in message
    if case in {"legal grounds", "place", "series", "unit signer position", "proposal grounds",
                "recipient"}:
        assert (Decision.objects.count(), Proposal.objects.count()) == before
    call(ctx, ("QĐ-" + "U" * (limit - 3)) if case == "series" else "ă" * limit)
