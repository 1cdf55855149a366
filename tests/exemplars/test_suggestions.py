"""Citizens' suggestions: the public form, its spam defences, the moderation queue."""

import pytest
from django.test import Client

from thidua.exemplars import actions, spam
from thidua.exemplars.models import Exemplar, Suggestion

pytestmark = pytest.mark.django_db
URL = "/guong-dien-hinh/de-xuat/"
WORDS = {w: i for i, w in enumerate(spam.NUMBERS)}


def solve(question: str) -> int:
    a, b = question.split(" cộng ")
    return WORDS[a] + WORDS[b]


def form_data(client, **overrides):
    page = client.get(URL)
    form = page.context["form"]
    data = {"about": "Bác Lường may khẩu trang", "text": "Tặng 2.000 khẩu trang.",
            "contact": "0912345678", "name": "", "place": "", "website": "",
            "token": form.fresh_token, "answer": str(solve(form.question))}
    data.update(overrides)
    return data


def visitor(address="203.0.113.7"):
    return Client(REMOTE_ADDR=address)


def test_a_citizen_suggests_without_an_account(demo):
    client = visitor()
    response = client.post(URL, form_data(client))
    assert response.status_code == 302 and response["Location"].endswith("/de-xuat/da-gui/")
    suggestion = Suggestion.objects.get()
    assert suggestion.state == Suggestion.State.NEW and suggestion.contact == "0912345678"
    assert suggestion.source and "203.0.113.7" not in suggestion.source


def test_a_wrong_answer_is_refused_with_a_new_sum(demo):
    client = visitor()
    data = form_data(client)
    data["answer"] = str(int(data["answer"]) + 1)
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "Kết quả phép tính chưa đúng" in response.content.decode()
    assert not Suggestion.objects.exists()


def test_a_forged_token_is_refused(demo):
    client = visitor()
    response = client.post(URL, form_data(client, token="gia-mao", answer="5"))
    assert response.status_code == 400 and not Suggestion.objects.exists()


def test_the_honeypot_keeps_nothing_and_tells_nothing(demo):
    client = visitor()
    response = client.post(URL, form_data(client, website="http://spam.example"))
    assert response.status_code == 302 and not Suggestion.objects.exists()


def test_contact_is_required(demo):
    client = visitor()
    response = client.post(URL, form_data(client, contact=""))
    assert response.status_code == 400 and not Suggestion.objects.exists()


def test_a_flood_from_one_address_is_refused_across_servers(demo):
    # Two clients stand for two app servers: the count is in the shared database.
    for i in range(actions.SUGGESTIONS_PER_HOUR):
        client = visitor()
        assert client.post(URL, form_data(client, about=f"Người tốt {i}")).status_code == 302
    other_server = visitor()
    response = other_server.post(URL, form_data(other_server, about="Thêm nữa"))
    assert response.status_code == 429
    assert "nhiều đề xuất" in response.content.decode()
    assert Suggestion.objects.count() == actions.SUGGESTIONS_PER_HOUR
    neighbour = visitor("198.51.100.9")
    assert neighbour.post(URL, form_data(neighbour)).status_code == 302


def test_overlong_text_is_refused(demo):
    client = visitor()
    response = client.post(URL, form_data(client, text="x" * 5000))
    assert response.status_code == 400 and not Suggestion.objects.exists()


@pytest.fixture
def suggestion(movement):
    return actions.submit_suggestion(movement=movement, contact="0987", about="Bác Lường",
                                     text="May khẩu trang", place="Tổ 7")


def test_the_editor_turns_a_suggestion_into_a_draft(suggestion, personas, client_for, ward):
    client = client_for(personas.lan)
    assert "Bác Lường" in client.get("/guong-dien-hinh/quan-ly/de-xuat/").content.decode()
    response = client.post(f"/guong-dien-hinh/quan-ly/de-xuat/{suggestion.pk}/",
                           {"tiep-nhan": "1", "organisation": ward.pk, "kind": "good_deed"})
    exemplar = Exemplar.objects.get(suggestion=suggestion)
    assert response.status_code == 302 and exemplar.state == Exemplar.State.DRAFT
    assert Suggestion.objects.get().state == Suggestion.State.ACCEPTED
    assert not exemplar.is_public


def test_the_editor_dismisses_a_suggestion(suggestion, personas):
    actions.dismiss_suggestion(suggestion, note="Không xác minh được", by=personas.lan)
    assert Suggestion.objects.get().state == Suggestion.State.DISMISSED


@pytest.mark.parametrize("name", ["hanh", "mai", "quy", "stranger"])
def test_others_cannot_moderate(suggestion, personas, client_for, name):
    client = client_for(getattr(personas, name))
    assert client.get(f"/guong-dien-hinh/quan-ly/de-xuat/{suggestion.pk}/").status_code == 404
    assert "Bác Lường" not in client.get("/guong-dien-hinh/quan-ly/de-xuat/").content.decode()
