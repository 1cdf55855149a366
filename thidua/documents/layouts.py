"""Setting up a pre-printed blank (mẫu phôi giấy khen): where each variable text prints, in
millimetres, and the printer's offset found with the test page."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.core import activity
from thidua.core.text import nfc
from thidua.documents.certificates import layout_problems
from thidua.documents.models import DEFAULT_FIELDS, CertificateLayout
from thidua.documents.rules import layout_organisations

FIELD_LABELS = {
    "issuer_title": gettext_lazy("Cơ quan, người khen (CHỦ TỊCH …)"),
    "name": gettext_lazy("Họ và tên / tên tập thể"),
    "unit": gettext_lazy("Chức vụ, đơn vị"),
    "citation": gettext_lazy("Lời khen"),
    "decision": gettext_lazy("Số, ngày quyết định"),
    "serial": gettext_lazy("Số vào sổ"),
    "place_date": gettext_lazy("Địa danh, ngày tháng"),
    "signer_title": gettext_lazy("Chức danh người ký"),
    "signer_name": gettext_lazy("Họ tên người ký"),
    "qr": gettext_lazy("Mã QR xác minh"),
}
# Printed under the QR code, wherever it is: not placed on its own.
BOX_LABELS = {**FIELD_LABELS, "verify_code": gettext_lazy("Mã xác minh (dưới mã QR)")}


def manageable(user):
    """The layouts a user may change: their bodies' own (built-in ones are the admin's)."""
    if user.is_superuser:
        return CertificateLayout.objects.all()
    return CertificateLayout.objects.filter(organisation_id__in=layout_organisations(user))


@transaction.atomic
def save_layout(layout, *, organisation, name, page_width_mm, page_height_mm, offset_x_mm,
                offset_y_mm, positions: dict, by) -> CertificateLayout:
    """Create or change a blank's layout. ``positions`` maps a field to its x, y (mm) and size
    (pt; for the QR code, its side in mm)."""
    allowed = layout_organisations(by)
    if not by.is_superuser and (organisation is None or organisation.pk not in allowed):
        raise PermissionDenied(_("Bạn không thiết lập mẫu phôi cho cơ quan này."))
    if layout.pk is not None:
        layout = CertificateLayout.objects.select_for_update().get(pk=layout.pk)
        if not by.is_superuser and layout.organisation_id not in allowed:
            raise PermissionDenied(_("Bạn không thiết lập mẫu phôi cho cơ quan này."))
    name = nfc(name)
    if not name:
        raise ValidationError(_("Hãy đặt tên mẫu phôi (ví dụ: Phôi giấy khen A4 ngang năm 2021)."))
    width, height = Decimal(page_width_mm), Decimal(page_height_mm)
    problems = []
    for key, spec in positions.items():
        if key not in DEFAULT_FIELDS:
            raise ValidationError(_("Trường không có trên giấy khen: %(key)s") % {"key": key})
        if not (0 <= spec["x"] <= width and 0 <= spec["y"] <= height):
            problems.append(_("%(field)s nằm ngoài khổ giấy (%(x)s; %(y)s mm).")
                            % {"field": FIELD_LABELS[key], "x": spec["x"], "y": spec["y"]})
    if problems:
        raise ValidationError(problems)
    before = {"name": layout.name, "offset": [str(layout.offset_x_mm), str(layout.offset_y_mm)],
              "fields": layout.fields} if layout.pk else None
    layout.organisation = organisation
    layout.name = name
    layout.page_width_mm, layout.page_height_mm = width, height
    layout.offset_x_mm, layout.offset_y_mm = Decimal(offset_x_mm), Decimal(offset_y_mm)
    # Only what differs from the built-in positions is kept, so a later change of a default
    # (a new field) still reaches every blank; what the editor does not show (a width, bold,
    # alignment set by an administrator) is kept as it was.
    fields = {key: dict(spec) for key, spec in (layout.fields or {}).items()}
    for key, spec in positions.items():
        kept = fields.setdefault(key, {})
        for part, value in spec.items():
            if float(DEFAULT_FIELDS[key].get(part, -1)) == float(value):
                kept.pop(part, None)
            else:
                kept[part] = float(value)
    layout.fields = {key: spec for key, spec in fields.items() if spec}
    # Each field prints inside its own box (a long text is set smaller to fit it): boxes that
    # overlap or leave the paper would print one text over another or off the blank.
    overlaps = []
    for key, other in layout_problems(layout):
        if other is None:
            overlaps.append(_("%(field)s vượt ra ngoài khổ giấy: hãy dời vào trong hoặc giảm cỡ "
                              "chữ.") % {"field": BOX_LABELS[key]})
        else:
            overlaps.append(_("%(field)s chồng lên %(other)s: hãy dời một trong hai trường hoặc "
                              "giảm cỡ chữ.") % {"field": BOX_LABELS[key],
                                                 "other": BOX_LABELS[other]})
    if overlaps:
        raise ValidationError(overlaps)
    layout.save()
    activity.record("layout.saved", actor=by, target=layout, organisation=organisation,
                    before=before, after={"name": layout.name,
                                          "offset": [str(layout.offset_x_mm),
                                                     str(layout.offset_y_mm)],
                                          "fields": layout.fields})
    return layout
