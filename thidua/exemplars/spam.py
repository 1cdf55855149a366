"""Keeping scripts out of the public suggestion form without any third-party service.

Three layers, each cheap for a person and costly for a script:
- a honeypot field (hidden from people by CSS and ``aria-hidden``; a form that fills it is thrown
  away while the sender is told it was received, so a script learns nothing);
- a small sum written in Vietnamese words ("bảy cộng hai"), whose answer travels only as a keyed
  hash in a signed, time-limited token (the page never holds the answer);
- a limit per sender, counted in the database (``actions.submit_suggestion``): the sender is a
  keyed hash of the address, never the address, so it holds across app servers and keeps no
  personal data.
"""

import hashlib
import hmac
import ipaddress
import secrets

from django.conf import settings
from django.core import signing

CHALLENGE_SALT = "thidua.exemplars.challenge"
CHALLENGE_MAX_AGE = 2 * 60 * 60  # seconds: a person may take their time writing
NUMBERS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười"]


def client_address(request) -> str:
    """The visitor's address: behind a reverse proxy (THIDUA_CLIENT_IP_HEADER) the last address
    the proxy appended, else REMOTE_ADDR."""
    header = getattr(settings, "THIDUA_CLIENT_IP_HEADER", "")
    forwarded = request.META.get(header, "") if header else ""
    if forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def source_of(address: str) -> str:
    """A keyed hash of the address (IPv6 by its /64, the block one subscriber gets)."""
    try:
        ip = ipaddress.ip_address(address)
        if ip.version == 6:
            address = str(ipaddress.ip_network(f"{ip}/64", strict=False))
    except ValueError:
        pass
    digest = hmac.new(settings.SECRET_KEY.encode(), f"suggestion:{address}".encode(),
                      hashlib.sha256)
    return digest.hexdigest()[:32]


def _answer_hash(nonce: str, answer: int) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{nonce}:{answer}".encode(),
                    hashlib.sha256).hexdigest()[:20]


def new_challenge() -> tuple[str, str]:
    """(question in words, token)."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    nonce = secrets.token_hex(8)
    token = signing.dumps({"n": nonce, "h": _answer_hash(nonce, a + b)}, salt=CHALLENGE_SALT)
    return f"{NUMBERS[a]} cộng {NUMBERS[b]}", token


def check_challenge(token: str, answer) -> bool:
    try:
        data = signing.loads(token or "", salt=CHALLENGE_SALT, max_age=CHALLENGE_MAX_AGE)
        given = int(str(answer).strip())
    except (signing.BadSignature, ValueError, TypeError):
        return False
    if not isinstance(data, dict) or not {"n", "h"} <= data.keys():
        return False
    return hmac.compare_digest(_answer_hash(str(data["n"]), given), str(data["h"]))
