"""The public verification page: serials can be walked through, so the name shows only with the
code printed under the QR code; lookups are counted per visitor; certificates printed before the
codes existed still verify, with less."""

import importlib

import pytest
from django.apps import apps
from django.test import Client

from tests.pipeline import draft_for
from thidua.decisions import actions, printing, verification
from thidua.decisions.models import Award

pytestmark = pytest.mark.django_db

PERSONAL = ["Nguyễn Thị Lan", "Hoàng Văn Nam", "Trạm Y tế", "1985"]


@pytest.fixture
def issued(approved, movement, city_certificate, personas):
    return actions.issue_decision(draft_for(movement, city_certificate, approved, personas.mai),
                                  by=personas.binh)


def look(serial, code=None, address="203.0.113.7", **extra):
    params = {} if code is None else {"ma": code}
    return Client(REMOTE_ADDR=address).get(f"/xac-minh/{serial}/", params, **extra)


def test_issuing_gives_every_award_its_own_unguessable_code(issued):
    codes = list(issued.awards.values_list("verify_code", flat=True))
    assert len(set(codes)) == len(codes) == 2
    assert all(len(c) == verification.LENGTH and set(c) <= set(verification.ALPHABET)
               for c in codes)


def test_with_the_code_the_page_names_the_awardee(issued):
    lan = issued.awards.get(name="Nguyễn Thị Lan")
    for typed in [lan.verify_code, lan.verify_code.lower(), verification.shown(lan.verify_code),
                  f" {lan.verify_code[:4]} {lan.verify_code[4:]} "]:
        page = look(lan.serial, typed)
        body = page.content.decode()
        assert page.status_code == 200 and 'data-testid="awardee">Nguyễn Thị Lan<' in body
        assert "1234/QĐ-UBND" in body and 'data-testid="ask-code"' not in body
        assert "no-store" in page["Cache-Control"]


def test_walking_through_the_serials_yields_no_one(issued, movement):
    """Every serial of the year, without the code or with a wrong one: the page confirms the
    certificate and its decision, and never names or places anyone."""
    serials = list(Award.objects.exclude(serial=None).values_list("serial", "verify_code"))
    assert serials
    for serial, code in serials:
        wrong = "".join(reversed(code))
        for given in [None, wrong, "AAAAAAAA", ""]:
            page = look(serial, given)
            body = page.content.decode()
            assert page.status_code == 200 and "có trong sổ khen thưởng" in body
            assert not any(word in body for word in PERSONAL), (serial, given)
            assert 'data-testid="ask-code"' in body
            assert ('data-testid="wrong-code"' in body) == bool(given)


def test_bad_serials_are_not_found_and_never_an_error(issued):
    for serial in ["2021.999.99999", "abc", "2021.001.0000１", "2021.001.00001 ",
                   "' OR 1=1 --", "x" * 300]:
        page = look(serial)
        assert page.status_code == 404 and "không hợp lệ" in page.content.decode()
    # Control characters never reach a query (PostgreSQL refuses NUL in text).
    lan = issued.awards.first()
    for serial, code in [("%00", None), (f"{lan.serial}%00", None), (lan.serial, "\x00"),
                         (lan.serial, f"{lan.verify_code}\x00")]:
        page = look(serial, code)
        assert page.status_code in {400, 404, 200}
        assert "Nguyễn Thị Lan" not in page.content.decode()


def test_lookups_are_limited_per_visitor(issued, settings):
    settings.THIDUA_VERIFY_LOOKUPS = 3
    lan = issued.awards.get(name="Nguyễn Thị Lan")
    for _ in range(3):
        assert look(lan.serial, lan.verify_code).status_code == 200
    refused = look(lan.serial, lan.verify_code)
    body = refused.content.decode()
    assert refused.status_code == 429 and 'data-testid="throttled"' in body
    assert "Nguyễn Thị Lan" not in body and refused["Retry-After"] == "600"
    # Right or wrong, found or not: every lookup counts.
    assert look("2021.999.99999").status_code == 429
    # Another visitor is not held back.
    assert look(lan.serial, lan.verify_code, address="198.51.100.9").status_code == 200


def test_an_ipv6_visitor_counts_by_its_network_and_behind_a_proxy_by_the_header(issued,
                                                                               settings):
    settings.THIDUA_VERIFY_LOOKUPS = 2
    serial = issued.awards.first().serial
    assert look(serial, address="2001:db8:1:2::1").status_code == 200
    assert look(serial, address="2001:db8:1:2:ffff::9").status_code == 200
    assert look(serial, address="2001:db8:1:2::abcd").status_code == 429
    assert look(serial, address="2001:db8:1:3::1").status_code == 200
    settings.THIDUA_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    proxy = "10.0.0.1"
    for _ in range(2):
        assert look(serial, address=proxy, HTTP_X_FORWARDED_FOR="192.0.2.1").status_code == 200
    assert look(serial, address=proxy, HTTP_X_FORWARDED_FOR="192.0.2.1").status_code == 429
    assert look(serial, address=proxy, HTTP_X_FORWARDED_FOR="192.0.2.2").status_code == 200


def test_the_count_starts_again_in_the_next_window(settings):
    settings.THIDUA_VERIFY_LOOKUPS, settings.THIDUA_VERIFY_WINDOW = 2, 60
    start = 1_000_020.0
    assert [verification.over_limit("192.0.2.5", now=start + i) for i in range(3)] == [
        False, False, True]
    assert not verification.over_limit("192.0.2.5", now=start + 60)


def test_the_certificate_carries_the_code_in_its_link_and_under_its_qr_code(issued):
    lan = issued.awards.get(name="Nguyễn Thị Lan")
    (text,) = printing.certificate_texts(issued, [lan], base_url="https://tdkt.example/")
    assert text.verify_url == f"https://tdkt.example/xac-minh/{lan.serial}/?ma={lan.verify_code}"
    assert text.verify_code == f"Mã xác minh: {verification.shown(lan.verify_code)}"
    # The link the QR code carries opens the full page.
    path = text.verify_url.removeprefix("https://tdkt.example")
    assert 'data-testid="awardee"' in Client().get(path).content.decode()


def test_certificates_printed_before_the_codes_still_verify_and_a_reprint_has_one(issued):
    """An award issued before the codes existed (no code yet): its old certificate's link
    confirms it with less; the migration gives it a code, which every reprint then carries."""
    lan = issued.awards.get(name="Nguyễn Thị Lan")
    Award.objects.filter(pk=lan.pk).update(verify_code="")
    old_link = f"/xac-minh/{lan.serial}/"
    body = Client().get(old_link).content.decode()
    assert "có trong sổ khen thưởng" in body and "Nguyễn Thị Lan" not in body
    assert "in lại giấy khen" in body
    migration = importlib.import_module(
        "thidua.decisions.migrations.0007_number_keys_and_verify_codes")
    migration.codes(apps, None)
    lan.refresh_from_db()
    assert verification.typed(lan.verify_code) == lan.verify_code
    (text,) = printing.certificate_texts(issued, [lan], base_url="https://tdkt.example/")
    assert text.verify_url.endswith(f"?ma={lan.verify_code}")
    assert lan.serial in text.verify_url  # the same serial, now with its code
