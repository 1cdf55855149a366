"""The sign-in surface under attack: password spraying, lock-outs from outside, proxies and
spoofed headers, password-reset floods. Every budget lives in the database."""

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.cache import cache
from django.test import Client, RequestFactory

from thidua.core.clients import client_address, client_key
from thidua.home.demo import demo_data
from thidua.orgs.models import Throttle

pytestmark = pytest.mark.django_db

LOGIN = "/tai-khoan/dang-nhap/"
RESET = "/tai-khoan/quen-mat-khau/"
PROXY = "10.0.0.1"


def attempt(username, password=None, *, address="203.0.113.5", **headers):
    """One sign-in from ``address`` (REMOTE_ADDR) with a fresh browser; the response."""
    return Client(REMOTE_ADDR=address, **headers).post(
        LOGIN, {"username": username, "password": password or "Sai-mat-khau-2021"})


def signs_in(username, **kwargs) -> bool:
    response = attempt(username, demo_data()["password"], **kwargs)
    return response.status_code == 302


# --- spraying ----------------------------------------------------------------------------------

NAMES = ["canbo.songcau", "canbo.ducxuan", "vanphong", "noivu", "hoidong", "chutich",
         "bientap", "thanhtra", "quantri", "khong.ton.tai"]


def test_one_password_sprayed_across_many_names_locks_that_address_out(personas, settings):
    settings.THIDUA_SIGNIN_CLIENT_FAILURES = 8
    for name in NAMES[:7]:  # one try per name: the per-name limit (5) is never reached
        assert attempt(name).status_code == 200
    assert attempt(NAMES[7]).status_code == 429  # the failure that spends the budget
    # Any other name, even with the right password, is refused from that address…
    response = attempt("thanhtra", demo_data()["password"])
    assert response.status_code == 429
    assert "tạm thời bị khóa" in response.content.decode()
    # …and from another address the same official signs in.
    assert signs_in("thanhtra", address="198.51.100.20")


def test_the_budget_counts_in_the_database_not_in_one_servers_memory(personas, settings):
    settings.THIDUA_SIGNIN_CLIENT_FAILURES = 3
    for name in NAMES[:3]:
        attempt(name)
        cache.clear()  # another app server has nothing of this in its memory
    assert attempt("bientap", demo_data()["password"]).status_code == 429
    # The refused attempt is written down too: four rows, one per name.
    assert AccessAttempt.objects.filter(ip_address="203.0.113.5").count() == 4


def test_nobody_can_lock_an_official_out_from_outside(personas):
    for _ in range(7):
        attempt("chutich", address="203.0.113.66")
    assert attempt("chutich", demo_data()["password"], address="203.0.113.66").status_code == 429
    # The chairman, at the office, is not locked out by the stranger's failures.
    assert signs_in("chutich", address="198.51.100.7")


def test_an_ipv6_sprayer_counts_by_its_network(personas, settings):
    settings.THIDUA_SIGNIN_CLIENT_FAILURES = 4
    for i, name in enumerate(NAMES[:4]):
        attempt(name, address=f"2001:db8:5:6::{i + 1:x}")
    assert attempt("thanhtra", demo_data()["password"],
                   address="2001:db8:5:6:ffff::1").status_code == 429
    assert signs_in("thanhtra", address="2001:db8:5:7::1")


# --- the client's address ------------------------------------------------------------------------

def _request(address="203.0.113.5", forwarded=None):
    extra = {"REMOTE_ADDR": address}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(settings):
    settings.THIDUA_CLIENT_IP_HEADER = ""
    assert client_address(_request(forwarded="192.0.2.1")) == "203.0.113.5"


@pytest.mark.parametrize(("count", "forwarded", "expected"), [
    (1, "192.0.2.1", "192.0.2.1"),
    (1, "1.2.3.4, 192.0.2.1", "192.0.2.1"),  # the visitor wrote 1.2.3.4 themselves
    (2, "1.2.3.4, 192.0.2.1, 10.0.0.9", "192.0.2.1"),  # two proxies of ours
    (2, "192.0.2.1", PROXY),  # fewer entries than proxies: not through them all
    (1, "not-an-address", PROXY),
    (1, "", PROXY),
    (1, "::ffff:192.0.2.1", "192.0.2.1"),
])
def test_behind_trusted_proxies_the_address_they_saw_is_the_visitors(settings, count, forwarded,
                                                                    expected):
    settings.THIDUA_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.THIDUA_TRUSTED_PROXY_COUNT = count
    assert client_key(_request(PROXY, forwarded)) == expected


def test_a_spoofed_header_from_a_direct_visitor_does_not_change_the_lock_out_key(personas):
    for i in range(5):
        attempt("canbo.songcau", HTTP_X_FORWARDED_FOR=f"192.0.2.{i + 1}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    response = attempt("canbo.songcau", demo_data()["password"],
                       HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == 429


def test_behind_the_proxy_each_visitor_has_its_own_lock_out(personas, settings):
    settings.THIDUA_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    for _ in range(5):
        attempt("canbo.songcau", address=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5")
    # The stranger cannot get out of the lock by writing another address in front…
    assert attempt("canbo.songcau", demo_data()["password"], address=PROXY,
                   HTTP_X_FORWARDED_FOR="192.0.2.50, 203.0.113.5").status_code == 429
    # …and the official, behind the same proxy from her office, signs in.
    assert signs_in("canbo.songcau", address=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}


# --- password-reset floods ---------------------------------------------------------------------

def reset(email, address="203.0.113.5"):
    """Ask for a reset from ``address``; the answer page, without its per-visitor CSRF token."""
    response = Client(REMOTE_ADDR=address).post(RESET, {"email": email}, follow=True)
    assert response.redirect_chain[-1][0] == "/tai-khoan/quen-mat-khau/da-gui/"
    return re.sub(r'(X-CSRFToken": "|csrfmiddlewaretoken" value=")[^"]+', "",
                  response.content.decode())


def test_reset_mail_to_one_address_stops_at_its_budget_and_the_page_says_the_same(personas,
                                                                                   settings):
    settings.THIDUA_RESETS_PER_ADDRESS = 3
    pages = {reset(personas.hanh.email, address=f"198.51.100.{i}") for i in range(6)}
    assert len(mail.outbox) == 3  # from six different machines, three mails
    pages.add(reset("khong-co@example.invalid"))
    assert len(pages) == 1  # sent, not sent, no such account: one answer
    # Another person's mail still goes out.
    reset(personas.thu.email, address="198.51.100.200")
    assert len(mail.outbox) == 4 and mail.outbox[-1].to == [personas.thu.email]


def test_reset_requests_from_one_machine_stop_at_its_budget(personas, settings):
    settings.THIDUA_RESETS_PER_CLIENT = 2
    for user in (personas.hanh, personas.thu, personas.dung, personas.khanh):
        reset(user.email)
    assert [m.to for m in mail.outbox] == [[personas.hanh.email], [personas.thu.email]]
    reset(personas.dung.email, address="198.51.100.9")
    assert len(mail.outbox) == 3


def test_the_address_budget_ignores_letter_case_and_spaces(personas, settings):
    settings.THIDUA_RESETS_PER_ADDRESS = 1
    reset(personas.hanh.email)
    reset(personas.hanh.email.upper(), address="198.51.100.3")
    reset(f"  {personas.hanh.email.title()} ", address="198.51.100.4")
    assert len(mail.outbox) == 1


def test_reset_budgets_are_rows_in_the_database_without_addresses(personas):
    reset(personas.hanh.email)
    cache.clear()
    keys = list(Throttle.objects.values_list("key", flat=True))
    assert len(keys) == 2
    assert not any("203.0.113.5" in k or "@" in k for k in keys)


def test_the_certificate_lookup_budget_is_in_the_database_too(settings):
    """The public verification page's budget (decisions.verification) is the same kind of
    throttle: a cleared cache (another app server) does not hand out a new budget."""
    from thidua.decisions import verification

    settings.THIDUA_VERIFY_LOOKUPS, settings.THIDUA_VERIFY_WINDOW = 2, 600
    seen = []
    for _ in range(3):
        seen.append(verification.over_limit("192.0.2.77", now=1_200_000.0))
        cache.clear()
    assert seen == [False, False, True]
