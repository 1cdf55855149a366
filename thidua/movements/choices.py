"""Enumerations of the plan that other apps' model-free code reads (the nomination lists' Excel
package writes and reads the participant kinds): kept apart from models.py, which re-exports
them, so importing them loads no model."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ParticipantKind(models.TextChoices):
    """Đối tượng thi đua a criterion aims at (plan IV.1)."""

    AGENCIES = "agencies", _("Các cơ quan, đơn vị tham mưu")
    PARTY_AND_GOVERNMENT = "party_and_government", _("Cấp ủy, chính quyền các cấp")
    FRONT_AND_MASS_ORGANISATIONS = "front_and_mass_organisations", _("Mặt trận Tổ quốc, đoàn thể")
    FRONTLINE = "frontline", _("Lực lượng tuyến đầu")
    ENTERPRISES = "enterprises", _("Doanh nghiệp, doanh nhân")
    CITIZENS = "citizens", _("Các tầng lớp Nhân dân")
    PRESS = "press", _("Cơ quan truyền thông, báo chí")
