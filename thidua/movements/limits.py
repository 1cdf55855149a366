"""How long each free text of a movement and what its units send may be (characters of
normalised text): one table for the forms (``maxlength``) and the actions (which refuse anything
longer whoever calls them)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

TITLE = 500          # the movement's full name
SHORT_TITLE = 200
NUMBER = 64          # "23/KH-UBND"
NAME = 255           # an issuer's name, a heading
CODE = 16            # "2.1", "IV.1.3"
TEXT = 8000          # a content area's or a criterion's text
PLAN_TEXT = 30000    # a unit's plan composed in the product
TARGET = 200         # a commitment's target
NOTE = 500
REASON = 2000        # why returned, why accepted after the deadline, a conclusion's paragraph
CONCLUSION = 10000

TOO_LONG = gettext_lazy("“%(field)s” dài %(length)s ký tự, quá giới hạn %(limit)s ký tự; hãy "
                        "rút gọn.")


def bounded(value: str, limit: int, field) -> str:
    if len(value) > limit:
        raise ValidationError(str(TOO_LONG) % {"field": field, "length": len(value),
                                               "limit": limit})
    return value
