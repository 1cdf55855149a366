"""Control characters in a request answer 400 or 404 with the product's page, never a 500.

PostgreSQL refuses NUL in text, so a NUL that reaches a query is a server error there; SQLite
stores it. The guard (core.middleware.ControlCharacterGuardMiddleware) refuses such requests
before any view, session or log write sees them. The fuzz walks every URL pattern of
thidua/urls.py — the admin's included — and puts bad bytes into each path parameter in turn and
into query parameters, anonymous and signed in.
"""

import re
from urllib.parse import quote

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from hypothesis import given, settings
from hypothesis import strategies as st

from thidua.core.middleware import ControlCharacterGuardMiddleware, bad_part
from thidua.core.models import Activity

pytestmark = pytest.mark.django_db

CONTROLS = [chr(c) for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]]
ERROR_PAGES = ('data-testid="error-400"', 'data-testid="error-404"')


# --- every URL pattern, walked from the resolver ----------------------------------------------


def _walk(resolver, prefix=()):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry, (*prefix, entry.pattern))
        else:
            assert isinstance(entry, URLPattern)
            yield (*prefix, entry.pattern)


def _sample(converter_name: str) -> str:
    return {"int": "1", "slug": "23-kh-ubnd", "str": "mot", "path": "mot", "uuid":
            "12345678-1234-5678-1234-567812345678"}.get(converter_name, "mot")


_ROUTE_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^)]*)\)")


def _parts(pattern):
    """A pattern as a list of (text, parameter name or None) with a sample value for each
    parameter: the text is literal when the name is None."""
    raw = str(pattern)
    parts = []
    if isinstance(pattern, RoutePattern):
        at = 0
        for match in _ROUTE_PARAM.finditer(raw):
            parts.append((raw[at:match.start()], None))
            parts.append((_sample(match.group("conv") or "str"), match.group("name")))
            at = match.end()
        parts.append((raw[at:], None))
    else:
        assert isinstance(pattern, RegexPattern)
        raw = raw.removeprefix("^").removesuffix("$")
        at = 0
        for match in _REGEX_GROUP.finditer(raw):
            parts.append((raw[at:match.start()], None))
            body = match.group("body")
            parts.append((body.split("|")[0] if "|" in body else "mot", match.group("name")))
            at = match.end()
        parts.append((raw[at:], None))
    return parts


def url_cases():
    """(id, path with one parameter spoilt) for every parameter of every pattern, and the
    pattern's own sample path for the query-string cases."""
    cases = []
    for chain in _walk(get_resolver()):
        parts = [part for pattern in chain for part in _parts(pattern)]
        names = [name for _text, name in parts if name]
        sample = "/" + "".join(text for text, _name in parts)
        label = "/" + "".join(text if name is None else f"<{name}>" for text, name in parts)
        cases.append((f"{label}?", sample, "query"))
        for spoilt in names:
            path = "/" + "".join(
                (text[:1] + "\x00" + text[1:]) if name == spoilt else text for text, name in parts)
            cases.append((f"{label}[{spoilt}]", path, "path"))
    return cases


CASES = url_cases()


def test_the_walk_covers_every_pattern():
    labels = {label for label, _path, _where in CASES}
    assert len([c for c in CASES if c[2] == "query"]) > 200
    assert "/xac-minh/<serial>/[serial]" in labels
    assert "/tai-khoan/dat-lai-mat-khau/<uidb64>/<token>/[token]" in labels
    assert "/quan-tri/orgs/user/<object_id>/change/[object_id]" in labels
    assert "/van-ban/<kind>/<pk>.<fmt>[fmt]" in labels


# The product's own parameters, an admin list's filters (which reach a query as they are:
# ?username=%00 was a 500 on PostgreSQL), and a parameter whose name is the bad byte.
BAD_QUERY = {"q": "Nguyễn\x00", "trang": "1\x00", "phan": "\x01", "dong": "\x1f", "kieu": "\x85",
             "next": "/\x7f", "username": "\x00", "verb": "\x00", "level": "\x00", "state": "\x00",
             "\x00": "1"}


def _fuzz(client, cases):
    failures = []
    for label, path, where in cases:
        response = client.get(path, BAD_QUERY if where == "query" else None)
        page = response.content.decode(errors="replace")
        if response.status_code not in (400, 404) or not any(mark in page for mark in ERROR_PAGES):
            failures.append((label, response.status_code))
    return failures


CHUNK = 120


@pytest.mark.parametrize("who", [None, "admin"], ids=["anonymous", "administrator"])
@pytest.mark.parametrize("chunk", range(0, len(CASES), CHUNK), ids=lambda at: f"from-{at}")
def test_every_url_with_bad_bytes_answers_the_error_page(who, chunk, personas, client_for):
    client = client_for(getattr(personas, who) if who else None)
    before = Activity.objects.count()
    assert _fuzz(client, CASES[chunk:chunk + CHUNK]) == []
    assert Activity.objects.count() == before  # nothing was done on the way


def test_a_signed_in_user_keeps_their_name_on_the_error_page(personas, client_for):
    response = client_for(personas.hanh).get("/xac-minh/%00/")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in page
    assert str(personas.hanh) in page  # still signed in: the page shows their menu
    assert "\x00" not in page


def test_the_error_page_follows_the_chosen_language(client):
    client.cookies["django_language"] = "en"
    response = client.get("/xac-minh/%00/")
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" not in response.content.decode()


@pytest.mark.parametrize("where", ["session", "other"])
def test_a_nul_in_a_cookie_is_refused_before_the_session_is_read(where, personas, client_for):
    client = client_for(personas.hanh)
    if where == "session":
        client.cookies["sessionid"] = "abcdefgh\x00ijk"
    else:
        client.cookies["theo-doi"] = "x\x00"
    response = client.get("/viec-cua-toi/")
    assert response.status_code == 400
    assert 'data-testid="error-400"' in response.content.decode()


def test_a_nul_in_a_header_is_refused_before_the_lockout_log_stores_it(client, personas):
    """A failed sign-in is logged by django-axes with the browser's name: a NUL there was a 500
    on PostgreSQL."""
    from axes.models import AccessAttempt

    response = client.post("/tai-khoan/dang-nhap/", {"username": "canbo.songcau", "password": "sai"},
                           HTTP_USER_AGENT="Mozilla\x00")
    assert response.status_code == 400
    assert not AccessAttempt.objects.exists()
    assert client.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4\x00").status_code == 400


def test_a_nul_in_a_posted_field_is_refused_and_nothing_is_written(draft, personas, client_for):
    client = client_for(personas.hanh)
    before = Activity.objects.count()
    response = client.post(f"/ho-so/{draft.pk}/sua/", {"unit_meeting_result": "Nhất trí\x00"})
    assert response.status_code == 400
    assert Activity.objects.count() == before
    response = client.post("/tai-khoan/dang-nhap/", {"username": "canbo\x00", "password": "x"})
    assert response.status_code == 400


def test_tabs_and_line_breaks_in_a_text_area_pass(draft, personas, client_for):
    from thidua.nominations.models import Dossier

    response = client_for(personas.hanh).post(f"/ho-so/{draft.pk}/sua/", {
        "award_form": draft.award_form.pk, "procedure": draft.procedure,
        "unit_meeting_result": "Nhất trí 9/9\tphiếu;\r\nđề nghị khen."})
    assert response.status_code == 302
    assert "9/9" in Dossier.objects.get(pk=draft.pk).unit_meeting_result


# --- the guard alone, over every control character ----------------------------------------------


def _call(request):
    seen = []
    response = ControlCharacterGuardMiddleware(lambda r: seen.append(r) or "view")(request)
    return response, seen


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=8), bad=st.sampled_from(CONTROLS), at=st.integers(0, 8),
       where=st.sampled_from(["path", "query-key", "query-value", "cookie"]))
def test_any_control_character_anywhere_in_address_query_or_cookie_is_refused(text, bad, at, where):
    value = text[:at] + bad + text[at:]
    factory = RequestFactory()
    if where == "path":
        request = factory.get("/xac-minh/" + quote(value, safe="") + "/")
    elif where == "query-key":
        request = factory.get("/", {value: "1"})
    elif where == "query-value":
        request = factory.get("/", {"q": value})
    else:
        request = factory.get("/")
        request.COOKIES["sessionid"] = value
    request.user = AnonymousUser()
    assert bad_part(request) is not None
    response, seen = _call(request)
    assert seen == [] and response.status_code == 400


@settings(max_examples=100, deadline=None)
@given(text=st.text(st.characters(blacklist_categories=["Cc", "Cs"]), max_size=20))
def test_text_without_control_characters_passes(text):
    request = RequestFactory().get("/tim/", {"q": text, text or "x": "1"})
    request.COOKIES["ghi-nho"] = text
    assert bad_part(request) is None
    assert _call(request) == ("view", [request])

