"""How long each free text of meetings, minutes and public disclosures may be.

One number per text, used by the model (the column), the form (``max_length``, the browser's
``maxlength`` and the sentence under the field) and the action (:func:`limited`, which refuses a
longer text with the field's name whichever way it came in). Lengths are counted in characters
after NFC normalisation, as stored.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# "Tối đa N ký tự.", the sentence a form shows under a limited field (one wording for all apps).
from thidua.rulesets.models import at_most as at_most

TITLE = 255  # a meeting's or a disclosure's title
PLACE = 255
CONCLUSION_REASON = 500  # why the committee does not propose someone
RECUSAL_REASON = 300  # why a member steps aside
ADJOURN_REASON = 500
CORRECTION_REASON = 500  # why the minutes are corrected
MINUTES_NOTES = 10_000  # the minutes' free notes (discussion, corrections)
OBJECTION_NAME = 150
OBJECTION_CONTACT = 150
OBJECTION_TEXT = 4_000  # a citizen's objection
OBJECTION_HANDLING = 2_000  # how the council handled it


def limited(value: str, limit: int, label) -> str:
    """``value`` when it has at most ``limit`` characters; else a ValidationError naming the
    field, its length and the limit."""
    if len(value) > limit:
        raise ValidationError(
            _("“%(field)s” dài %(length)s ký tự, quá giới hạn %(limit)s ký tự; hãy rút gọn.")
            % {"field": str(label), "length": len(value), "limit": limit})
    return value

