"""Budgets of attempts per key and window, counted in the database (``orgs.Throttle``).

A budget in a process's memory (Django's default cache) holds only on the server that counted:
behind a load balancer each app server would grant the whole budget again. A row per key and
window in the shared database holds for all of them, on SQLite and PostgreSQL alike.

Keys are keyed hashes: the table never holds an address or an e-mail address.
"""

import hashlib
import hmac
import time
from datetime import UTC, datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from thidua.orgs.models import Throttle


def _key(scope: str, subject: str) -> str:
    message = f"{scope}\x00{subject}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def hit(scope: str, subject: str, *, limit: int, window: int, now: float | None = None) -> bool:
    """Count one attempt of ``subject`` in ``scope``; True while the attempts of the current
    window (fixed windows of ``window`` seconds) are at most ``limit``, False beyond."""
    now = time.time() if now is None else now
    start = int(now // window) * window
    key = _key(scope, subject)
    with transaction.atomic():
        if not Throttle.objects.filter(key=key, window=start).update(count=F("count") + 1):
            expires = datetime.fromtimestamp(start + window, tz=UTC)
            try:
                with transaction.atomic():
                    Throttle.objects.create(key=key, window=start, count=1, expires_at=expires)
            except IntegrityError:  # another server created it a moment ago
                Throttle.objects.filter(key=key, window=start).update(count=F("count") + 1)
            else:
                # Old windows are of no use: the table stays as small as the traffic of a window.
                Throttle.objects.filter(expires_at__lt=datetime.fromtimestamp(now, tz=UTC)).delete()
        count = Throttle.objects.filter(key=key, window=start).values_list("count", flat=True)[0]
    return count <= limit
