"""The production way, on this machine: gunicorn with deploy/gunicorn.conf.py and `thidua
worker`, DEBUG off, THIDUA_HTTPS=1 as behind nginx, on the test database; an officer signs in and
goes about the day, and every response carries the security headers."""

import json
import re

import pytest

from tests.ops.processes import (
    ROOT,
    Browser,
    Process,
    database_url,
    environment,
    fast_password,
    free_port,
    thidua,
    wait_for,
)

pytestmark = [pytest.mark.ops, pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("committed_database")]

PASSWORD = "Mot-mat-khau-that-dai-2026"


def gunicorn(name, port, env, log_dir):
    return Process(name, [str(ROOT / ".venv/bin/gunicorn"), "-c", str(ROOT / "deploy/gunicorn.conf.py"),
                          "thidua.wsgi"],
                   {**env, "THIDUA_BIND": f"127.0.0.1:{port}", "THIDUA_WEB_WORKERS": "2"}, log_dir)


def up(browser, processes):
    def answered():
        try:
            return browser.get("/healthz").status == 200
        except OSError:
            return False
    wait_for(answered, 90, "gunicorn and the worker to be healthy", every=0.5, processes=processes)


def assert_security_headers(response):
    headers = {k.lower(): v for k, v in response.getheaders()}
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    assert "default-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert "no-store" in headers["cache-control"]


def test_gunicorn_and_the_worker_serve_an_officer_s_day(personas, tmp_path, settings):
    fast_password(personas.hanh, PASSWORD)
    port = free_port()
    env = environment(settings.MEDIA_ROOT.parent, database_url(), THIDUA_HTTPS=1,
                      THIDUA_ALLOWED_HOSTS="127.0.0.1")
    web = gunicorn("gunicorn", port, env, tmp_path)
    worker = Process("worker", [*thidua("worker", "--no-reload", "--worker-id", "prod-1")], env,
                     tmp_path)
    browser = Browser(port)
    try:
        up(browser, [web, worker])
        health = browser.get("/healthz")
        report = json.loads(health.text)
        assert report["status"] == "ok" and report["checks"]["worker"]["alive"] == 1
        print("MEASURED: /healthz", {name: check["ms"] for name, check in report["checks"].items()})

        # Plain HTTP (no X-Forwarded-Proto from nginx) is sent to HTTPS, but for the probe.
        assert Browser(port, https=False).get("/healthz").status == 200
        plain = Browser(port, https=False).get("/tai-khoan/dang-nhap/")
        assert plain.status == 301
        assert plain.getheader("Location") == f"https://127.0.0.1:{port}/tai-khoan/dang-nhap/"

        login = browser.get("/tai-khoan/dang-nhap/")
        assert login.status == 200 and "Đăng nhập" in login.text
        assert_security_headers(login)
        signed_in = browser.post_form("/tai-khoan/dang-nhap/", {
            "csrfmiddlewaretoken": browser.csrf_from(login.text),
            "username": "canbo.songcau", "password": PASSWORD})
        assert signed_in.status == 302, signed_in.text[:2000]
        assert signed_in.getheader("Location") == "/viec-cua-toi/"
        session_cookie = next(c for c in browser.set_cookies if c.startswith("sessionid="))
        assert {"Secure", "HttpOnly", "SameSite=Lax"} <= {p.strip() for p in session_cookie.split(";")}
        csrf_cookie = next(c for c in browser.set_cookies if c.startswith("csrftoken="))
        assert "Secure" in {p.strip() for p in csrf_cookie.split(";")}

        home = browser.get("/viec-cua-toi/")
        assert home.status == 200
        assert personas.hanh.full_name in home.text
        assert_security_headers(home)
        dossiers = browser.get("/ho-so/")
        assert dossiers.status == 200 and "Hồ sơ" in dossiers.text
        assert_security_headers(dossiers)

        # DEBUG is off: a missing page is the product's own, with no traceback or settings.
        missing = browser.get("/khong-co-trang-nay/")
        assert missing.status == 404
        assert "Traceback" not in missing.text and "DEBUG" not in missing.text
        assert 'data-testid="error-404"' in missing.text or "Không tìm thấy" in missing.text

        # Static files come from WhiteNoise, cacheable, without a collectstatic step.
        css = re.search(r'href="(/static/[^"]+bootstrap[^"]*\.css)"', login.text).group(1)
        static = browser.get(css)
        assert static.status == 200 and "max-age" in static.getheader("Cache-Control")

        out = browser.post_form("/tai-khoan/dang-xuat/", {
            "csrfmiddlewaretoken": browser.csrf_from(home.text)})
        assert out.status == 302
        assert browser.get("/viec-cua-toi/").status == 302  # signed out: back to sign-in
    finally:
        web.stop()
        assert worker.stop() == 0, worker.output()[-3000:]
    log = web.output()
    assert '"POST /tai-khoan/dang-nhap/" 302' in log  # the access log, without query strings
    assert "Traceback" not in log, log[-3000:]
