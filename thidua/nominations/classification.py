"""What a nomination is for: the movement's content area (nội dung thi đua, plan II.2.x) and the
participant kind (đối tượng thi đua, plan IV.1) a nominee is counted under by the statistics.

A row (:class:`~thidua.nominations.choices.NomineeRow`, from a form or a sheet) names its content
area by code; the actions resolve the code against the dossier's own movement, so an area of
another movement is refused whatever the form or sheet let through. An import resolves the
movement's areas once (:func:`content_areas`, one query) and each row by a dictionary look-up.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from thidua.movements.models import ContentArea, ParticipantKind

KINDS = frozenset(ParticipantKind.values)


def content_areas(dossier) -> dict[str, ContentArea]:
    """The content areas of the dossier's movement, by code (one query)."""
    return {a.code: a for a in ContentArea.objects.filter(movement_id=dossier.movement_id)}


def classify(values: dict, row, areas: dict[str, ContentArea]) -> dict:
    """Add the row's content area (a :class:`ContentArea` or None) and participant kind to the
    cleaned ``values``; refuse a code that is not one of ``areas`` or an unknown kind. Returns
    ``values``."""
    code = (row.content_area or "").strip()
    kind = (row.participant_kind or "").strip()
    problems = []
    area = None
    if code:
        area = areas.get(code)
        if area is None:
            problems.append(_("Nội dung thi đua “%(code)s” không có trong kế hoạch của phong "
                              "trào này.") % {"code": code})
    if kind and kind not in KINDS:
        problems.append(_("Đối tượng thi đua “%(kind)s” không hợp lệ.") % {"kind": kind})
    if problems:
        if row.row_number:
            problems = [_("Dòng %(row)s: %(problem)s") % {"row": row.row_number, "problem": p}
                        for p in problems]
        raise ValidationError(problems)
    values["content_area"] = area
    values["participant_kind"] = kind
    return values
