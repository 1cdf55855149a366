"""The free text of organisations, roles and accounts: one way in for each, and how long it may be.

Every text an ``orgs`` action, form or admin page stores comes through :func:`clean`: the one
normaliser (``core.text``: NFC, 'Đ/đ' for its look-alikes, Latin for Cyrillic/Greek twins, no
invisible characters, single spaces), then a length limit that fits its use, and for a text that
*names* someone or something (printed on decisions and certificates, copied into every list we
write) no leading formula character. The forms take their ``max_length`` and help text from here
and clean with the same function, so a form shows the message beside its field and the action,
whoever calls it, refuses the same text the same way. Lengths count characters of normalised text.
"""

from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.core.text import formula_prefix, nfc, nfc_lines

ORGANISATION_NAME = 255
SHORT_NAME = 100
LEGAL_REFERENCE = 255  # "Quyết định số 12/QĐ-UBND ngày 05/01/2021 của UBND tỉnh Bắc Kạn"
NOTE = 2000  # an event's note
REASON = 1000  # why a role was granted or ended (a merger names both bodies)
TITLE = 150  # a role's title (chức vụ), printed under a signature
FULL_NAME = 150
PERSON_NAME = 150  # first and last name of an account
PHONE = 20

TOO_LONG = gettext_lazy("“%(field)s” dài quá %(max)s ký tự (có %(n)s ký tự); hãy rút gọn.")
FORMULA = gettext_lazy("“%(field)s” không được bắt đầu bằng “%(prefix)s” (bảng tính có thể chạy "
                       "nó như công thức); hãy bỏ ký tự này.")


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _at_most(limit: int) -> str:
    return _("Tối đa %(max)s ký tự.") % {"max": _number(limit)}


at_most = lazy(_at_most, str)


def clean(value, limit: int, label, *, naming: bool = False, lines: bool = False) -> str:
    """``value`` normalised (one line, or ``lines`` kept), refused with a Vietnamese message
    naming the field when longer than ``limit`` or, for a ``naming`` text, when it starts like a
    spreadsheet formula."""
    text = nfc_lines(value) if lines else nfc(value)
    if len(text) > limit:
        raise ValidationError(str(TOO_LONG) % {"field": str(label), "max": _number(limit),
                                               "n": _number(len(text))})
    if naming and (prefix := formula_prefix(text)):
        raise ValidationError(str(FORMULA) % {"field": str(label), "prefix": prefix})
    return text
