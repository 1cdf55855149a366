"""gunicorn for thidua (``gunicorn -c /opt/thidua/deploy/gunicorn.conf.py thidua.wsgi``).

Every value can be set from the environment file (/etc/thidua/thidua.env), so the test that
boots the production way (tests/ops/test_production.py) runs this very file on a free port.
"""

import multiprocessing
import os

# nginx on the same machine talks to this address only; never expose it.
bind = os.environ.get("THIDUA_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("THIDUA_WEB_WORKERS", str(min(2 * multiprocessing.cpu_count() + 1, 9))))
# Threaded workers (gthread), 4 threads each: a light page (the public home page, a list) starts
# at once beside a heavy one instead of queueing behind it for a free process. `make bench-load
# LOAD_ARGS="--threads 1 4"` (issue 12; 4 workers, 20 people thinking ~1 s, 100,000 rows, a
# shared 2-CPU machine): the home page's p95 under load 2.9 s with synchronous workers, 0.38 s
# with these. Flat out (no think time) both saturate the CPUs alike.
# THIDUA_WEB_THREADS=1 gives synchronous workers back. Each thread keeps its own database
# connection: count workers × threads connections per server.
threads = int(os.environ.get("THIDUA_WEB_THREADS", "4"))
# A worker whose main loop stops answering for this long is killed and replaced. With threads a
# single slow request no longer trips it: the database timeouts (settings) and nginx's
# proxy_read_timeout end that request's waits; this stays above them.
timeout = int(os.environ.get("THIDUA_REQUEST_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak never grows.
max_requests = 2000
max_requests_jitter = 200
# Heartbeat files in memory: a slow disk must not make gunicorn think a worker hung.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 (gunicorn's own files)
# nginx sets X-Forwarded-Proto; only trust it from nginx on this machine.
forwarded_allow_ips = os.environ.get("THIDUA_FORWARDED_ALLOW_IPS", "127.0.0.1")
# To the journal (systemd): one line per request, no query strings (they may name people).
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms "%(a)s"'
loglevel = os.environ.get("THIDUA_GUNICORN_LOG_LEVEL", "info")
proc_name = "thidua-web"
# Load the application before forking: workers share its memory, and a broken setting stops
# the service at start instead of at the first request.
preload_app = True
