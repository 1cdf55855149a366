"""The one way a view runs an action: refusals and lock conflicts become page messages."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError
from django.test import RequestFactory

from thidua.core.feedback import LOCK_CONFLICT, perform


@pytest.fixture
def request_():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def texts(request):
    return [str(m) for m in get_messages(request)]


def test_success_hands_back_the_value_and_its_message(request_):
    done = perform(request_, lambda n: n * 2, 21, success=lambda v: f"xong {v}")
    assert done and done.value == 42 and texts(request_) == ["xong 42"]


@pytest.mark.parametrize("refusal", [ValidationError(["một", "hai"]), PermissionDenied("cấm")])
def test_a_refusal_becomes_its_own_messages(request_, refusal):
    def action():
        raise refusal

    done = perform(request_, action, success="không được hiện")
    assert not done and done.value is None
    assert texts(request_) == list(done.refusal) and "không được hiện" not in texts(request_)


def test_a_lock_conflict_says_someone_acted_at_the_same_moment(request_):
    def action():
        raise OperationalError("deadlock detected")

    done = perform(request_, action)
    assert not done and texts(request_) == [str(LOCK_CONFLICT)]


def test_a_programming_error_is_not_hidden(request_):
    def action():
        raise KeyError("bug")

    with pytest.raises(KeyError):
        perform(request_, action)
