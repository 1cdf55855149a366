"""How long each free-text field of decisions and proposals may be, in characters of NFC text.

One table for the models (``max_length``), the forms (the browser's ``maxlength`` and the help
text that states the limit) and the actions (which refuse anything longer whoever calls them).
Each limit fits its use: a symbol is a few letters, a line of the signature block one line, the
grounds a dozen "Căn cứ …" lines, a citation what a Giấy khen can print.
"""

from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy

SERIES = 32            # "QĐ-UBND", "TTr-UBND", "QĐ-CTUBND"
PLACE = 100            # "TP. Bắc Kạn"
SIGNER_POSITION = 100  # "PHÓ GIÁM ĐỐC"
GROUNDS = 4000         # Căn cứ: one ground a line, about twenty lines
RECIPIENT = 255        # Kính gửi
NAME = 255             # a person's or a collective's name, position, unit, award form's name
CITATION = 1000        # printed on the certificate (about eight lines of the blank)
REASON = 2000          # what the higher body asked for; what was supplemented
HIGHER_NUMBER = 64     # "2345/QĐ-UBND" of the higher body
ISSUER_NAME = 255      # "Chủ tịch UBND tỉnh Bắc Kạn"
DESCRIPTION = 255      # a supplementary document's description

TOO_LONG = gettext_lazy("“%(field)s” dài %(length)s ký tự, quá giới hạn %(limit)s ký tự; hãy "
                        "rút gọn.")
STATED = gettext_lazy("Tối đa %(limit)s ký tự.")


def _stated(limit: int) -> str:
    return str(STATED) % {"limit": limit}


# "Tối đa 4000 ký tự." in the reader's language, for help texts made at import time.
stated = lazy(_stated, str)


def bounded(value: str, limit: int, field) -> str:
    """``value`` (already normalised) if it is at most ``limit`` characters; otherwise refused,
    naming the field, its length and the limit."""
    if len(value) > limit:
        raise ValidationError(str(TOO_LONG) % {"field": field, "length": len(value),
                                               "limit": limit})
    return value
