"""Running the product the production way in a test: its processes (gunicorn, `thidua
worker`, moto's S3 server) as real subprocesses on free ports, with their own environment."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SECRET_KEY = "ops-tests-secret-key-not-for-production-0123456789abcdefghijkl"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    """The URL of the database the test runs on, for the product's processes to share."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db["USER"] or "postgres"
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def environment(var_dir, database: str, **extra) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("THIDUA_", "DATABASE_URL", "DJANGO_", "PYTEST"))}
    env.update({"DJANGO_SETTINGS_MODULE": "thidua.settings", "DATABASE_URL": database,
                "THIDUA_VAR_DIR": str(var_dir), "THIDUA_SECRET_KEY": SECRET_KEY,
                "THIDUA_DEBUG": "0", "THIDUA_LOG_LEVEL": "INFO", "PYTHONUNBUFFERED": "1"})
    env.update({k: str(v) for k, v in extra.items()})
    return env


class Process:
    """A started subprocess whose output goes to a log file, shown when a test fails."""

    def __init__(self, name, command, env, log_dir):
        self.name = name
        self.log = Path(log_dir) / f"{name}.log"
        self.popen = subprocess.Popen(  # noqa: S603
            command, env=env, cwd=ROOT, stdout=self.log.open("wb"), stderr=subprocess.STDOUT,
            start_new_session=True)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self):
        """As a power cut or the OOM killer would: no chance to clean up."""
        os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(10)

    def stop(self, timeout=20):
        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        return self.popen.returncode


def wait_for(check, timeout: float, what: str, every: float = 0.2, processes=()):
    """Poll ``check`` until it returns something true; fail with the processes' logs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := check():
            return value
        for p in processes:
            if p.popen.poll() is not None:
                raise AssertionError(f"{p.name} stopped ({p.popen.returncode}) while waiting "
                                     f"for {what}:\n{p.output()[-4000:]}")
        time.sleep(every)
    logs = "\n".join(f"--- {p.name}\n{p.output()[-3000:]}" for p in processes)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}\n{logs}")


def thidua(*args) -> list[str]:
    return [str(BIN / "thidua"), *args]


class Browser:
    """Just enough of a browser for a journey over plain HTTP to an app server that believes it
    is behind TLS (nginx's ``X-Forwarded-Proto: https``): it keeps cookies, Secure ones
    included, and sends the Origin and Referer a browser would (Django's CSRF check over
    HTTPS compares them with the host)."""

    def __init__(self, port: int, https: bool = True):
        self.port = port
        self.https = https
        self.cookies: dict[str, str] = {}
        self.set_cookies: list[str] = []

    @property
    def origin(self):
        return f"{'https' if self.https else 'http'}://127.0.0.1:{self.port}"

    def request(self, method, path, body=None, headers=None, content_type=None):
        import http.client

        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        sent = {"Host": f"127.0.0.1:{self.port}", "User-Agent": "ops-test",
                "Accept-Language": "vi"}
        if self.https:
            sent["X-Forwarded-Proto"] = "https"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            sent.update({"Origin": self.origin, "Referer": self.origin + path})
        if content_type:
            sent["Content-Type"] = content_type
        sent.update(headers or {})
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        response.body = response.read()
        response.text = response.body.decode("utf-8", "replace")
        for header in response.msg.get_all("Set-Cookie") or []:
            self.set_cookies.append(header)
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value in ('""', "") or "Max-Age=0" in header:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        conn.close()
        return response

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post_form(self, path, fields: dict):
        from urllib.parse import urlencode

        return self.request("POST", path, body=urlencode(fields),
                            content_type="application/x-www-form-urlencoded")

    def post_multipart(self, path, fields: dict, files: dict):
        """``files``: field name → (file name, bytes, content type)."""
        boundary = "----thiduaops7MA4YWxkTrZu0gW"
        parts = []
        for name, value in fields.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                         f"{value}\r\n".encode())
        for name, (filename, data, ctype) in files.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                         f'filename="{filename}"\r\nContent-Type: {ctype}\r\n\r\n'.encode()
                         + data + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request("POST", path, body=b"".join(parts),
                            content_type=f"multipart/form-data; boundary={boundary}")

    def csrf_from(self, page: str) -> str:
        import re

        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert match, page[:2000]
        return match.group(1)


def fast_password(user, password: str) -> None:
    """A hash the product's own hashers verify (the tests' MD5 is not among them), quick to
    check: PBKDF2 with few iterations; gunicorn upgrades it at the first sign-in."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    user.password = PBKDF2PasswordHasher().encode(password, "opstestsalt", iterations=1000)
    user.save(update_fields=["password"])


class S3Server:
    """moto's S3-compatible server (``moto_server``) on a free port, with one empty bucket."""

    ACCESS_KEY = "ops-test-access"
    SECRET_KEY = "ops-test-secret"
    REGION = "us-east-1"

    def __init__(self, log_dir, bucket="thidua-ops"):
        self.port = free_port()
        self.bucket = bucket
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.process = Process("moto", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p",
                                        str(self.port)], dict(os.environ), log_dir)
        wait_for(self._answers, 60, "the S3 server", every=0.3, processes=[self.process])
        self.client().create_bucket(Bucket=bucket)

    def _answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False

    def client(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint, region_name=self.REGION,
                            aws_access_key_id=self.ACCESS_KEY,
                            aws_secret_access_key=self.SECRET_KEY)

    def object_keys(self) -> list[str]:
        listed = self.client().list_objects_v2(Bucket=self.bucket)
        return sorted(o["Key"] for o in listed.get("Contents", []))

    def environment(self) -> dict:
        """The product's settings for this bucket (THIDUA_S3_*)."""
        return {"THIDUA_S3_BUCKET": self.bucket, "THIDUA_S3_ENDPOINT_URL": self.endpoint,
                "THIDUA_S3_REGION": self.REGION, "THIDUA_S3_ACCESS_KEY_ID": self.ACCESS_KEY,
                "THIDUA_S3_SECRET_ACCESS_KEY": self.SECRET_KEY}

    def storages(self) -> dict:
        """The same, as the STORAGES setting of the test's own process."""
        return {"default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
                    "bucket_name": self.bucket, "endpoint_url": self.endpoint,
                    "region_name": self.REGION, "access_key": self.ACCESS_KEY,
                    "secret_key": self.SECRET_KEY, "addressing_style": "path",
                    "file_overwrite": False, "default_acl": None}},
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

    def stop(self):
        self.process.stop()
