"""The public verification of a certificate: its unguessable code, and how often one visitor may
look.

A serial (``2021.003.00042``) counts from 1 per issuer and year, so anyone could walk through
them. Each award therefore gets a short random code when it gets its serial; the certificate
prints it in the QR code's link and under the code. The public page shows who was awarded only
to a visitor who has the code; a serial alone confirms that such a certificate exists, with its
form and decision, and nothing about the person. Lookups are counted per visitor in the
database (``orgs.throttle``: every app server counts against the same budget, which a
process's memory would not), so codes cannot be tried by the thousand either.
"""

import hashlib
import hmac
import ipaddress
import secrets

from django.conf import settings

from thidua.orgs import throttle

# Crockford's base 32: digits and capitals without I, L, O and U, which read as 1, 1, 0 and V.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 8  # 40 bits: at the rate below, trying codes for one serial would take millennia
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0"})

# At most LOOKUPS lookups in WINDOW seconds from one visitor (an IPv6 visitor counts by its /64).
# Settings may change them: THIDUA_VERIFY_LOOKUPS, THIDUA_VERIFY_WINDOW.
LOOKUPS = 30
WINDOW = 600


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def shown(code: str) -> str:
    """As printed under the QR code: two groups of four, "K7M2-QX9D"."""
    return f"{code[:4]}-{code[4:]}" if len(code) == LENGTH else code


def typed(text: str | None) -> str:
    """What a visitor typed or the link carried, read as a code: case, spaces, dashes and the
    letters that look like digits do not matter. Anything else gives ""."""
    code = "".join(str(text or "").split()).replace("-", "").upper().translate(_READ_AS)
    return code if len(code) == LENGTH and all(ch in ALPHABET for ch in code) else ""


def matches(award, text) -> bool:
    """Whether ``text`` is the award's code (compared in constant time)."""
    code = typed(text)
    return bool(code and award.verify_code) and hmac.compare_digest(code, award.verify_code)


def _visitor(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
        if ip.version == 6:
            address = str(ipaddress.ip_network(f"{ip}/64", strict=False))
    except ValueError:
        pass
    # A keyed hash: the cache never holds the address itself, and the key is safe for any backend.
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


def over_limit(address: str, *, now: float | None = None) -> bool:
    """Count one lookup from ``address``; True once it has made more than the limit in the
    current window (a fixed window of WINDOW seconds)."""
    lookups = getattr(settings, "THIDUA_VERIFY_LOOKUPS", LOOKUPS)
    window = getattr(settings, "THIDUA_VERIFY_WINDOW", WINDOW)
    return not throttle.hit("verify", _visitor(address), limit=lookups, window=window, now=now)
