"""Deadline-day load test (`make bench-load`): 20 people at once on the production set-up.

What it does, in order, and undoes at the end whatever happens (Ctrl-C and failures included):

1. creates its own ``test_…`` PostgreSQL database beside the one ``DATABASE_URL`` names (default
   ``postgres://postgres@127.0.0.1:5432/thidua_load``), as the test runner does; seeds the bare
   demo (``seed_demo --empty``) and :mod:`bench.scale_data` (``--rows``, default 100,000: two
   dossiers of 5,000 nominees, a register of ``--rows`` lines, ``--rows`` reviewed nominees, half
   of them awarded, a disclosure of 2,000 names);
2. starts gunicorn with ``deploy/gunicorn.conf.py`` (``--workers``, default 4; threads as the
   config says, or ``--threads N``: 1 = synchronous workers, above 1 gthread; several values,
   e.g. ``--threads 1 4``, run everything below against each in turn on the same data; DEBUG
   off, ``THIDUA_HTTPS=1`` as behind nginx) and one ``thidua worker``, on free ports, in a
   temporary ``THIDUA_VAR_DIR``; ``--db-set jit=off`` sets a PostgreSQL setting on the test
   database first;
3. signs every simulated person in through the real pages (password, then for the chairman and
   the secretariat the demo authenticator's current TOTP code, as a phone would give it);
4. warms the server up (``--warmup`` s of load, not reported), then measures each page *alone*
   (one request at a time, the server otherwise idle) and the public home page alone
   (``--floor`` sequential requests: the floor of this run);
5. runs one phase of ``--duration`` s per ``--think`` value: 20 people (ward officers on their
   dossier list, the 5,000-nominee draft, its pages and search, uploading a 100 KB PDF for a
   nominee; the receiving office on /ho-so/, its queue and the submitted 5,000-nominee dossier;
   the chairman on /quyet-dinh/ and a decision; the secretariat searching the register;
   citizens on the public home page, the disclosure of 2,000 names, the exemplars portal, the
   honour roll and the search), each waiting ``think`` s on average (uniform 0–2×) between
   requests; ``--think 0`` is the flat-out (saturation) test;
6. prints, per phase, the throughput, every page's client-side p50/p95/max next to its time
   alone and gunicorn's own time for it (the access log's ``%(M)s``; the difference is time
   spent queued for a worker), the errors (any status other than the expected one, or no
   answer: must be 0), the public home page's p95 under load against alone, the CPU seconds
   used by the web workers, PostgreSQL's backends and this client, and the load average.

Exit status 1 if any request failed (or an upload was not stored); ``--without "honour roll"``
leaves pages out, to see what the rest does without them. The machine's load average is printed
at the start and the end (and per phase): the figures mean little if other work shared the CPUs.
A run of the defaults takes about 4–5 minutes (about 1 to create and seed the database).

    make bench-load
    make bench-load ROWS=10000 LOAD_ARGS="--threads 1 4 --duration 30"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_load \\
        .venv/bin/python -u -m bench.load --rows 100000 --duration 60 --think 1 0 --threads 1 4
"""

import argparse
import contextlib
import http.client
import math
import os
import random
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote_plus, urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/thidua_load"
AGENT = "thidua-load"
HOME = "citizen: public home /"

# Who the 20 people are: (role, account, how many). An account with a second factor appears once
# (a TOTP code is accepted once per device and 30-second step).
PEOPLE = [("officer", "canbo.songcau", 5), ("ward", "canbo.ducxuan", 2), ("office", "vanphong", 3),
          ("chairman", "chutich", 1), ("secretariat", "noivu", 1), ("citizen", None, 8)]
NAMES = ["Nguyễn Văn", "Trần Thị", "Lê Minh", "Phạm Thu", "Hoàng Đức", "Người 12", "Văn An",
         "Thị Lan", "Hà Văn Người 3"]
REGISTER = ["nguyen van an", "tran thi lan", "le minh", "hoang duc hung", "nguoi 4321", "pham thu"]
PORTAL = ["Sông Cầu", "Nguyễn Văn An", "phòng chống dịch", "Đức Xuân", "Trần Thị Mai"]


# --- the database -----------------------------------------------------------------------------

def _setup(var_dir: Path, secret: str):
    os.environ["DATABASE_URL"] = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    os.environ["THIDUA_VAR_DIR"] = str(var_dir)
    os.environ["THIDUA_SECRET_KEY"] = secret
    os.environ["DJANGO_SETTINGS_MODULE"] = "thidua.settings"
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("bench.load needs PostgreSQL (DATABASE_URL=postgres://…): several "
                         "server processes share the database.")
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return connection


def _database_url(connection) -> str:
    db = connection.settings_dict
    password = f":{quote_plus(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    return (f"postgres://{db['USER'] or 'postgres'}{password}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}")


def _seed(rows: int) -> dict:
    """The bare demo and the scale data set; returns what the simulated people open."""
    import io

    from django.core.management import call_command
    from django.db import connection

    from bench.scale_data import generate
    from thidua.decisions.models import Decision
    from thidua.home.demo import demo_data
    from thidua.nominations.models import Dossier

    call_command("seed_demo", "--empty", verbosity=0, stdout=io.StringIO())
    made = generate(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    draft, sent = made["draft"], made["sent"]
    return {
        "password": demo_data()["password"],
        "draft": draft.pk, "sent": sent.pk, "disclosure": made["disclosure"].pk,
        "draft_nominees": list(draft.nominees.order_by("order").values_list("pk", flat=True)),
        "small_dossiers": list(Dossier.objects.exclude(pk__in=[draft.pk, sent.pk])
                               .order_by("-pk").values_list("pk", flat=True)[:50]),
        "decisions": list(Decision.objects.order_by("-pk").values_list("pk", flat=True)[:50]),
    }


# --- the server's processes -------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when this benchmark dies, even by SIGKILL (Linux)."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Process:
    """A subprocess in its own session (Ctrl-C does not reach it; we stop it), output to a file."""

    def __init__(self, name: str, command: list[str], env: dict, log: Path):
        self.name, self.log = name, log
        with log.open("wb") as out:
            self.popen = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out,  # noqa: S603
                                          stderr=subprocess.STDOUT, start_new_session=True,
                                          preexec_fn=_die_with_parent)

    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self, timeout: float = 10) -> None:
        for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 10)):
            if self.popen.poll() is not None:
                break
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(wait)
        with contextlib.suppress(ProcessLookupError):  # a straggler of the group
            os.killpg(self.popen.pid, signal.SIGKILL)

    def tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:]


def _environment(var_dir: Path, database_url: str, secret: str, **extra) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("THIDUA_", "DATABASE_URL", "DJANGO_"))}
    env.update({"DJANGO_SETTINGS_MODULE": "thidua.settings", "DATABASE_URL": database_url,
                "THIDUA_VAR_DIR": str(var_dir), "THIDUA_SECRET_KEY": secret, "THIDUA_DEBUG": "0",
                "THIDUA_HTTPS": "1", "THIDUA_ALLOWED_HOSTS": "127.0.0.1",
                "PYTHONUNBUFFERED": "1"})
    env.update({k: str(v) for k, v in extra.items()})
    return env


def _wait_healthy(port: int, processes, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for p in processes:
            if not p.alive():
                raise RuntimeError(f"{p.name} stopped while starting:\n{p.tail()}")
        with contextlib.suppress(OSError):
            if Client(port, None).request("GET", "/healthz").status == 200:
                return
        time.sleep(0.5)
    raise RuntimeError("the server did not become healthy:\n"
                       + "\n".join(f"--- {p.name}\n{p.tail()}" for p in processes))


# --- the client -------------------------------------------------------------------------------

@dataclass
class Sample:
    phase: str
    label: str
    seconds: float
    status: int
    ok: bool


@dataclass
class Answer:
    status: int
    headers: dict
    text: str


class Client:
    """One person's browser, just enough of one: cookies, the headers nginx adds (the app server
    believes it is behind TLS), one connection per request as nginx opens to gunicorn. Every
    request is timed and recorded under ``label``; the label goes in the User-Agent so that
    gunicorn's access log times the same request."""

    def __init__(self, port: int, samples: list | None, phase: str = "sign-in"):
        self.port = port
        self.samples = samples
        self.phase = phase
        self.cookies: dict[str, str] = {}

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def request(self, method, path, body=None, content_type=None, label=None, expect=200):
        headers = {"Host": f"127.0.0.1:{self.port}", "X-Forwarded-Proto": "https",
                   "X-Forwarded-For": "127.0.0.1", "Accept-Language": "vi",
                   "User-Agent": f"{AGENT}/{self.phase}/{label or path}", "Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers.update({"Origin": self.origin, "Referer": self.origin + path})
        if content_type:
            headers["Content-Type"] = content_type
        started = time.perf_counter()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=180)
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            conn.close()
        except (OSError, http.client.HTTPException):
            self._record(label, time.perf_counter() - started, 0, False)
            return Answer(0, {}, "")
        seconds = time.perf_counter() - started
        for header in response.msg.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value in ('""', "") or "Max-Age=0" in header:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        self._record(label, seconds, response.status, expect is None or response.status == expect)
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()},
                      data.decode("utf-8", "replace"))

    def _record(self, label, seconds, status, ok):
        if self.samples is not None and label:
            self.samples.append(Sample(self.phase, label, seconds, status, ok))

    def get(self, label, path, expect=200):
        return self.request("GET", path, label=label, expect=expect)

    def post(self, label, path, fields: dict, files: dict | None = None, expect=302):
        fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}
        if not files:
            return self.request("POST", path, urlencode(fields),
                                "application/x-www-form-urlencoded", label, expect)
        boundary = f"----thiduaload{uuid.uuid4().hex}"
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                 for k, v in fields.items()]
        for name, (filename, data, ctype) in files.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                         f'filename="{filename}"\r\nContent-Type: {ctype}\r\n\r\n'.encode()
                         + data + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request("POST", path, b"".join(parts),
                            f"multipart/form-data; boundary={boundary}", label, expect)

    def sign_in(self, username: str, password: str) -> None:
        from thidua.orgs import demo_mfa

        self.get("sign-in page", "/tai-khoan/dang-nhap/")
        answer = self.post("sign-in", "/tai-khoan/dang-nhap/",
                           {"username": username, "password": password})
        if answer.status != 302:
            raise RuntimeError(f"{username} could not sign in ({answer.status})")
        answer = self.get("after sign-in", "/viec-cua-toi/", expect=None)
        if answer.status == 302 and "/xac-thuc/" in answer.headers.get("location", ""):
            verify = urlsplit(answer.headers["location"])
            path = f"{verify.path}?{verify.query}" if verify.query else verify.path
            self.get("second factor page", path)
            code = demo_mfa.current_code(username)  # what the demo authenticator shows now
            answer = self.post("second factor", path, {"code": code})
            if answer.status != 302:
                raise RuntimeError(f"{username}: the second factor was refused ({answer.status})")
            answer = self.get("after second factor", "/viec-cua-toi/", expect=None)
        if answer.status != 200:
            raise RuntimeError(f"{username}: /viec-cua-toi/ answered {answer.status} after sign-in")


# --- what each person does --------------------------------------------------------------------

def _pdf(text: str) -> bytes:
    from thidua.home.demo import pdf_bytes

    return pdf_bytes(text)


PDF = None  # a 100 KB achievement report, made once


@dataclass
class Person:
    role: str
    username: str | None
    client: Client
    rng: random.Random
    targets: dict
    uploads: list = field(default_factory=list)
    without: tuple = ()  # labels containing any of these are left out (--without)

    def actions(self):
        return [a for a in self.role_actions() if not any(w in a[1] for w in self.without)]

    def page(self, path):
        """An action opening ``path`` (a string, or a function making one at each turn)."""
        return lambda label: self.client.get(label, path() if callable(path) else path)

    def role_actions(self):
        """(weight, label, action) of this person's role; ``action(label)`` does one step."""
        t, rng, page = self.targets, self.rng, self.page
        draft, sent, disclosure = t["draft"], t["sent"], t["disclosure"]
        if self.role == "officer":
            return [
                (1, "officer: my work /viec-cua-toi/", page("/viec-cua-toi/")),
                (2, "officer: dossier list /ho-so/", page("/ho-so/")),
                (3, "officer: draft 5,000 page 1", page(f"/ho-so/{draft}/")),
                (2, "officer: draft 5,000 page n",
                 page(lambda: f"/ho-so/{draft}/?trang={rng.randint(2, 100)}")),
                (1, "officer: draft search ?q=",
                 page(lambda: f"/ho-so/{draft}/?q={quote_plus(rng.choice(NAMES))}")),
                (1, "officer: upload PDF (POST)", self.upload),
            ]
        if self.role == "ward":
            return [
                (1, "ward: my work /viec-cua-toi/", page("/viec-cua-toi/")),
                (2, "ward: dossier list /ho-so/", page("/ho-so/")),
                (1, "ward: movements /phong-trao/", page("/phong-trao/")),
                (1, "ward: portal search /tim-kiem/",
                 page(lambda: f"/tim-kiem/?q={quote_plus(rng.choice(PORTAL))}")),
            ]
        if self.role == "office":
            return [
                (1, "office: my work /viec-cua-toi/", page("/viec-cua-toi/")),
                (2, "office: /ho-so/", page("/ho-so/")),
                (2, "office: queue /ho-so/tiep-nhan/", page("/ho-so/tiep-nhan/")),
                (3, "office: submitted 5,000 page 1", page(f"/ho-so/{sent}/")),
                (2, "office: submitted 5,000 page n",
                 page(lambda: f"/ho-so/{sent}/?trang={rng.randint(2, 100)}")),
                (2, "office: a dossier of 20",
                 page(lambda: f"/ho-so/{rng.choice(t['small_dossiers'])}/")),
            ]
        if self.role == "chairman":
            return [
                (1, "chairman: my work /viec-cua-toi/", page("/viec-cua-toi/")),
                (3, "chairman: /quyet-dinh/", page("/quyet-dinh/")),
                (1, "chairman: a decision of 100",
                 page(lambda: f"/quyet-dinh/{rng.choice(t['decisions'])}/")),
            ]
        if self.role == "secretariat":
            return [
                (1, "secretariat: my work /viec-cua-toi/", page("/viec-cua-toi/")),
                (3, "secretariat: register search",
                 page(lambda: f"/so-khen-thuong/?q={quote_plus(rng.choice(REGISTER))}")),
                (1, "secretariat: /ho-so/", page("/ho-so/")),
            ]
        return [
            (4, HOME, page("/")),
            (1, "citizen: disclosures /cong-khai/", page("/cong-khai/")),
            (2, "citizen: disclosure of 2,000",
             page(lambda: f"/cong-khai/{disclosure}/?trang={rng.randint(1, 20)}")),
            (2, "citizen: exemplars /guong-dien-hinh/", page("/guong-dien-hinh/")),
            (1, "citizen: honour roll /bang-vang/",
             page(lambda: f"/bang-vang/?trang={rng.randint(1, 50)}")),
            (1, "citizen: search /tim-kiem/",
             page(lambda: f"/tim-kiem/?q={quote_plus(rng.choice(PORTAL))}")),
        ]

    def upload(self, label):
        """A nominee's achievement report, from the dossier's row panel; then the page the
        redirect leads to, as a browser follows it."""
        c, draft = self.client, self.targets["draft"]
        nominee = self.rng.choice(self.targets["draft_nominees"])
        answer = c.post(label, f"/ho-so/{draft}/tai-lieu/", {
            "document_type": "achievement_report", "nominee": nominee, "original": "1"},
            files={"file": (f"bao-cao-{nominee}.pdf", PDF, "application/pdf")})
        location = answer.headers.get("location", "")
        if answer.status == 302 and location.startswith(f"/ho-so/{draft}/nguoi/"):
            self.uploads.append(nominee)
            c.get("officer: nominee page (after upload)", location)
        elif answer.status == 302:  # refused: the product says so on the dossier page
            c.get("officer: upload refused", location, expect=None)
            c.samples.append(Sample(c.phase, label + " refused", 0.0, 302, False))


def _people(port, targets, seed, without=()) -> list[Person]:
    people = []
    for role, username, count in PEOPLE:
        for _ in range(count):
            people.append(Person(role, username, Client(port, None), random.Random(seed + len(people)),
                                 targets, without=tuple(without)))
    return people


def _run_phase(people, samples, phase, seconds, think) -> float:
    """Every person in a thread of their own for ``seconds``; returns the wall time."""
    stop = threading.Event()

    def live(person: Person):
        acts = person.actions()
        weights = [w for w, _, _ in acts]
        person.client.samples, person.client.phase = samples, phase
        time.sleep(person.rng.uniform(0, min(2.0, seconds / 10)))  # people do not start in step
        while not stop.is_set():
            _, label, what = person.rng.choices(acts, weights)[0]
            try:
                what(label)
            except Exception as exc:  # a fault of this client: counted, and the person goes on
                samples.append(Sample(phase, f"{label} (client fault: {exc!r:.60})", 0.0, 0, False))
            if think:
                stop.wait(person.rng.uniform(0, 2 * think))

    threads = [threading.Thread(target=live, args=(p,), daemon=True) for p in people]
    started = time.perf_counter()
    try:
        for t in threads:
            t.start()
        stop.wait(seconds)
    finally:  # Ctrl-C included: nobody goes on clicking while the server is stopped
        stop.set()
    for t in threads:
        t.join(200)
    return time.perf_counter() - started


def _alone(people, samples, repeat, phase) -> None:
    """Every page once at a time, the server otherwise idle: one person of each role."""
    seen = set()
    for person in people:
        if person.role in seen:
            continue
        seen.add(person.role)
        person.client.samples, person.client.phase = samples, phase
        for _, label, what in person.actions():
            for _ in range(repeat):
                what(label)


# --- what the processes used ------------------------------------------------------------------

TICK = os.sysconf("SC_CLK_TCK")


def _cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(p) for p in (task / "children").read_text().split()]
    return found


def _cpu_snapshot(connection, web: Process, worker: Process) -> dict:
    from django.db import connection as db

    with db.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> "
                       "pg_backend_pid()", [connection.settings_dict["NAME"]])
        backends = [row[0] for row in cursor.fetchall()]
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "web": {p: _cpu(p) for p in [web.popen.pid, *_children(web.popen.pid)]},
        "worker": {p: _cpu(p) for p in [worker.popen.pid, *_children(worker.popen.pid)]},
        "postgres": {p: _cpu(p) for p in backends},
        "client": {0: usage.ru_utime + usage.ru_stime},
    }


def _cpu_used(before: dict, after: dict) -> dict:
    return {k: sum(v - before[k].get(p, 0.0) for p, v in after[k].items()) for k in after}


# --- the report -------------------------------------------------------------------------------

LOG_LINE = re.compile(r'"(GET|POST) (\S+)" (\d{3}) \S+ (\d+)ms "' + AGENT + r'/([^/]+)/([^"]*)"')


def _server_times(log: Path) -> dict:
    """(phase, label) → gunicorn's own times in seconds, from its access log."""
    times: dict = {}
    for line in log.read_text(errors="replace").splitlines():
        if m := LOG_LINE.search(line):
            times.setdefault((m.group(5), m.group(6)), []).append(int(m.group(4)) / 1000)
    return times


def _pct(values, q) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)] if ordered else float("nan")


def _ms(seconds) -> str:
    return "-" if seconds is None or math.isnan(seconds) else f"{seconds * 1000:.0f}"


def _report(samples, phase, alone_phase, wall, think, server, cpu, load) -> dict:
    mine = [s for s in samples if s.phase == phase]
    alone = {}
    for s in samples:
        if s.phase == alone_phase:
            alone.setdefault(s.label, []).append(s.seconds)
    errors = [s for s in mine if not s.ok]
    print(f"\n== load: think {think:g} s, {wall:.0f} s, {len(mine):,} requests, "
          f"{len(mine) / wall:.1f} requests/s, {len(errors)} errors ==")
    print(f"{'page':40} {'n':>5} {'alone':>6} {'p50':>6} {'p95':>6} {'max':>6}"
          f" {'srv50':>6} {'srv95':>6} {'err':>4}   (ms; srv = gunicorn's own time)")
    by_label: dict = {}
    for s in mine:
        by_label.setdefault(s.label, []).append(s)
    for label in sorted(by_label):
        rows = by_label[label]
        secs = [s.seconds for s in rows]
        srv = server.get((phase, label), [])
        print(f"{label[:40]:40} {len(rows):5d} {_ms(_pct(alone.get(label, []), 0.5)):>6} "
              f"{_ms(_pct(secs, 0.5)):>6} {_ms(_pct(secs, 0.95)):>6} {_ms(max(secs)):>6} "
              f"{_ms(_pct(srv, 0.5)):>6} {_ms(_pct(srv, 0.95)):>6} "
              f"{sum(not s.ok for s in rows):4d}")
    everything = [s.seconds for s in mine]
    print(f"{'all pages':40} {len(mine):5d} {'':>6} {_ms(_pct(everything, 0.5)):>6} "
          f"{_ms(_pct(everything, 0.95)):>6} {_ms(max(everything, default=0)):>6}")
    for status in sorted({s.status for s in errors}):
        which = sorted({s.label for s in errors if s.status == status})
        print(f"  errors with status {status or 'no answer'}: "
              f"{sum(s.status == status for s in errors)} ({', '.join(which)[:200]})")
    home = [s.seconds for s in by_label.get(HOME, [])]
    floor = alone.get("floor", [])
    ratio = _pct(home, 0.95) / _pct(floor, 0.95) if home and floor else float("nan")
    print(f"public home page p95: {_ms(_pct(home, 0.95))} ms under load, "
          f"{_ms(_pct(floor, 0.95))} ms alone (p50 {_ms(_pct(floor, 0.5))} ms): {ratio:.1f}×")
    print(f"CPU seconds in {wall:.0f} s (2 cores = {2 * wall:.0f}): "
          + ", ".join(f"{k} {v:.1f}" for k, v in cpu.items())
          + f"; load average {load[0]:.2f} → {load[1]:.2f}")
    return {"think": think, "requests": len(mine), "rps": len(mine) / wall,
            "errors": len(errors), "home_p50": _pct(home, 0.5), "home_p95": _pct(home, 0.95),
            "floor_p95": _pct(floor, 0.95), "ratio": ratio, "all_p95": _pct(everything, 0.95)}


# --- the run ----------------------------------------------------------------------------------

def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _start_web(var_dir, env, port, workers, threads) -> Process:
    extra = {"THIDUA_BIND": f"127.0.0.1:{port}", "THIDUA_WEB_WORKERS": workers}
    if threads:
        extra["THIDUA_WEB_THREADS"] = threads
    return Process(f"gunicorn-t{threads}", [str(BIN / "gunicorn"), "-c",
                                            str(ROOT / "deploy/gunicorn.conf.py"), "thidua.wsgi"],
                   {**env, **{k: str(v) for k, v in extra.items()}},
                   var_dir / f"gunicorn-t{threads}.log")


def _serve_and_load(args, connection, people, samples, web, worker, port, name) -> list[dict]:
    """Warm-up, pages alone, then the load phases, against the server ``web`` on ``port``."""
    _run_phase(people, samples, f"{name}warmup", args.warmup, 0.5)
    citizen = Client(port, samples, f"{name}alone")
    for _ in range(5):
        citizen.get(None, "/")
    for _ in range(args.floor):
        citizen.get("floor", "/")
    _alone(people, samples, args.repeat, f"{name}alone")
    results = []
    for i, think in enumerate(args.think):
        phase = f"{name}load{i + 1}"
        before = _cpu_snapshot(connection, web, worker)
        load_before = os.getloadavg()[0]
        wall = _run_phase(people, samples, phase, args.duration, think)
        cpu = _cpu_used(before, _cpu_snapshot(connection, web, worker))
        for p in (web, worker):
            if not p.alive():
                raise RuntimeError(f"{p.name} stopped during the load:\n{p.tail()}")
        results.append((phase, wall, think, cpu, (load_before, os.getloadavg()[0])))
    server = _server_times(web.log)
    warm = [s for s in samples if s.phase in (f"{name}warmup", f"{name}alone") and not s.ok]
    print(f"\nwarm-up and pages alone: {len(warm)} errors"
          + (f" ({sorted({(s.label, s.status) for s in warm})[:5]})" if warm else ""))
    summaries = [_report(samples, phase, f"{name}alone", wall, think, server, cpu, load)
                 for phase, wall, think, cpu, load in results]
    summaries[0]["errors"] += len(warm)
    if "Traceback" in web.log.read_text(errors="replace"):
        print(f"{web.name}'s log holds a traceback:\n{web.tail()}")
        summaries[0]["errors"] += 1
    return summaries


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="size of bench.scale_data")
    parser.add_argument("--duration", type=float, default=60, help="seconds of each phase")
    parser.add_argument("--think", type=float, nargs="+", default=[1.0, 0.0],
                        help="mean think time of each phase (0: flat out)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--threads", type=int, nargs="+", default=[0],
                        help="threads per worker (>1: gthread; 0: the config's); several values "
                        "run the phases against each in turn, on the same data")
    parser.add_argument("--db-set", action="append", default=[], metavar="NAME=VALUE",
                        help="a PostgreSQL setting for the test database (e.g. jit=off)")
    parser.add_argument("--without", nargs="+", default=[], metavar="TEXT",
                        help="leave out the pages whose label contains TEXT (to see what the "
                        "rest does without them)")
    parser.add_argument("--warmup", type=float, default=10, help="seconds of unreported load")
    parser.add_argument("--floor", type=int, default=50, help="requests of the home page alone")
    parser.add_argument("--repeat", type=int, default=3, help="requests of each page alone")
    parser.add_argument("--keep-logs", action="store_true", help="keep the temporary folder "
                        "(gunicorn's and the worker's logs) and print where it is")
    args = parser.parse_args(argv)
    settings = [_db_setting(text) for text in args.db_set]

    load_start = os.getloadavg()
    print(f"load average at start: {load_start[0]:.2f} {load_start[1]:.2f} {load_start[2]:.2f} "
          f"({os.cpu_count()} CPUs; other work on the machine skews every figure)")
    # Ctrl-C, and a CI's cancel (SIGTERM), clean up; SIGINT even when a shell started us in the
    # background (which ignores it).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    var_dir = Path(tempfile.mkdtemp(prefix="thidua-bench-load-"))
    secret = f"bench-load-{uuid.uuid4().hex}-{uuid.uuid4().hex}"
    connection, processes = None, []
    try:
        t0 = time.perf_counter()
        connection = _setup(var_dir, secret)
        print(f"database {connection.settings_dict['NAME']} created and migrated "
              f"({time.perf_counter() - t0:.0f} s)")
        t0 = time.perf_counter()
        targets = _seed(args.rows)
        print(f"seeded: bare demo + {args.rows:,} rows ({time.perf_counter() - t0:.0f} s)")
        with connection.cursor() as cursor:
            for name, value in settings:
                cursor.execute(f'ALTER DATABASE "{connection.settings_dict["NAME"]}" '
                               f"SET {name} = '{value}'")
                print(f"database setting: {name} = {value}")
        global PDF
        PDF = _pdf("Bao cao thanh tich ca nhan " * 3800)
        env = _environment(var_dir, _database_url(connection), secret)
        worker = Process("worker", [str(BIN / "thidua"), "worker", "--no-reload",
                                    "--worker-id", "load-1"], env, var_dir / "worker.log")
        processes.append(worker)
        samples: list[Sample] = []
        people, summaries = None, []
        for threads in args.threads:
            port = free_port()
            web = _start_web(var_dir, env, port, args.workers, threads)
            processes.append(web)
            _wait_healthy(port, [web, worker])
            kind = f"gthread, {threads} threads each" if threads > 1 else \
                "sync" if threads == 1 else "as deploy/gunicorn.conf.py says"
            print(f"\n##### gunicorn on 127.0.0.1:{port}: {args.workers} workers ({kind}); "
                  f"thidua worker running")
            if people is None:  # signed in once: the sessions are in the database
                people = _people(port, targets, seed=12, without=args.without)
                t0 = time.perf_counter()
                for person in people:
                    if person.username:
                        person.client.sign_in(person.username, targets["password"])
                print(f"{sum(bool(p.username) for p in people)} people signed in "
                      f"({time.perf_counter() - t0:.0f} s); {len(people)} in all"
                      + (f"; pages left out: {', '.join(args.without)}" if args.without else ""))
            for person in people:
                person.client.port = port
            name = f"t{threads}-" if len(args.threads) > 1 else ""
            for summary in _serve_and_load(args, connection, people, samples, web, worker,
                                           port, name):
                summaries.append((kind, summary))
            web.stop()
        uploads = sum(len(p.uploads) for p in people)
        from thidua.nominations.models import AttachmentVersion

        stored = AttachmentVersion.objects.filter(attachment__dossier_id=targets["draft"],
                                                  original_name__startswith="bao-cao-").count()
        print(f"\nuploads answered with the nominee's page: {uploads}; "
              f"versions stored by them: {stored}")
        print(f"\n{'server':32} {'think':>5} {'req/s':>6} {'errors':>6} {'home p50':>8} "
              f"{'home p95':>8} {'alone p95':>9} {'ratio':>6} {'all p95':>7}")
        for kind, s in summaries:
            print(f"{kind[:32]:32} {s['think']:5g} {s['rps']:6.1f} {s['errors']:6d} "
                  f"{_ms(s['home_p50']):>8} {_ms(s['home_p95']):>8} {_ms(s['floor_p95']):>9} "
                  f"{s['ratio']:5.1f}× {_ms(s['all_p95']):>7}")
        failed = sum(s["errors"] for _, s in summaries)
        return 1 if failed or stored < uploads else 0
    except KeyboardInterrupt:
        print("\ninterrupted: stopping the server and dropping the database")
        return 130
    finally:
        for p in reversed(processes):
            p.stop()
        if connection is not None:
            _drop(connection)
        if args.keep_logs:
            print(f"logs kept in {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)
        end = os.getloadavg()
        print(f"load average at end: {end[0]:.2f} {end[1]:.2f} {end[2]:.2f}")


def _db_setting(text: str) -> tuple[str, str]:
    name, _, value = text.partition("=")
    if not re.fullmatch(r"[a-z_][a-z0-9_.]*", name) or not re.fullmatch(r"[\w.]+", value):
        raise SystemExit(f"--db-set wants NAME=VALUE (letters, digits, _ and .), not {text!r}")
    return name, value


def _drop(connection) -> None:
    """Drop the test database, ending any session a killed server process left behind."""
    name = connection.settings_dict["NAME"]
    with contextlib.suppress(Exception), connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = %s AND pid <> pg_backend_pid()", [name])
    connection.creation.destroy_test_db(name, verbosity=0)
    print(f"database {name} dropped")


if __name__ == "__main__":
    sys.exit(main())
