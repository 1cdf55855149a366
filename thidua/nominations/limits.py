"""How long each free text of the nominations app may be, in characters of normalised text.

One table for every way a text comes in: the models (a ``TextField`` carries its limit as
``max_length``; a ``CharField``'s column is at least as wide), the forms (a field's ``max_length``
and its help text), the Excel list and its template (a note on each header, a length check that
Excel itself applies while typing, and a message per cell on import) and the actions, which
refuse a text over its limit whoever calls them. No ORM here: the Excel package reads it too.

The limits fit the use: a name as long as the longest collective's name with its parents; the
summary of achievements is a summary (the full report is an attached document); the citation is
printed on a certificate in a few lines.
"""

from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

NAME = 150

# Nominee (and the Excel list's columns).
NOMINEE = {
    "full_name": NAME,
    "ethnicity": 64,
    "position": 255,
    "unit_name": 255,
    "leader": NAME,
    "achievement_summary": 2000,
    "citation": 500,
    "note": 500,
}
# Dossier.
UNIT_MEETING_RESULT = 1000
# The receiving office's review: a checklist mark's note, a deficiency, a withdrawal's reason.
MARK_NOTE = 500
DEFICIENCY = 1000
REASON = 500
# The award register (AwardRecord and its Excel list).
REGISTER = {
    "full_name": NAME,
    "unit_name": 255,
    "award_name": 255,
    "decision_number": 64,
    "issuer_name": 255,
    "note": 500,
}
# The register's search box.
QUERY = 100

TOO_LONG = gettext_lazy("“%(field)s” dài quá %(max)s ký tự (có %(n)s ký tự); hãy rút gọn.")


def vn_number(n: int) -> str:
    """12000 → "12.000", as Vietnamese write it."""
    return f"{n:,}".replace(",", ".")


def _at_most(limit: int) -> str:
    return _("Tối đa %(max)s ký tự.") % {"max": vn_number(limit)}


# The help text a form shows under a field with this limit (lazy: forms are built at import).
at_most = lazy(_at_most, str)


def too_long(label, text: str, limit: int) -> str:
    """The message for ``text`` over ``limit`` ("" when it fits)."""
    if len(text) <= limit:
        return ""
    return str(TOO_LONG) % {"field": label, "max": vn_number(limit), "n": vn_number(len(text))}
