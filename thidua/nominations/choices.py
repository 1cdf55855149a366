"""Enumerations and plain records shared by the nomination models, forms and Excel lists.

Kept apart from models.py so the Excel reader/writer can be used and tested without the ORM.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _


class NomineeKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Cá nhân")
    COLLECTIVE = "collective", _("Tập thể")


class Gender(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class IndividualCategory(models.TextChoices):
    """Đối tượng cá nhân, as the statutory statistics split them (DOMAIN.md §7, §8)."""

    # Form 0602/0603 rows 10 and 11. The stored value "leader_province" once meant both
    # levels ("Lãnh đạo cấp tỉnh, cấp sở", still read from old sheets as the province level).
    LEADER_PROVINCE = "leader_province", _("Lãnh đạo cấp bộ, cấp tỉnh trở lên")
    LEADER_DEPARTMENT = "leader_department", _("Lãnh đạo cấp vụ, sở, ngành và tương đương")
    OTHER_LEADER = "other_leader", _("Lãnh đạo khác")
    DIRECT_WORKER = "direct_worker", _("Người trực tiếp lao động, công tác")
    ENTREPRENEUR = "entrepreneur", _("Doanh nhân")
    FRONTLINE_HEALTH = "frontline_health", _("Tuyến đầu: y tế")
    FRONTLINE_ARMY = "frontline_army", _("Tuyến đầu: quân đội")
    FRONTLINE_POLICE = "frontline_police", _("Tuyến đầu: công an")
    FRONTLINE_PRESS = "frontline_press", _("Tuyến đầu: báo chí")
    FRONTLINE_VOLUNTEER = "frontline_volunteer", _("Tuyến đầu: tình nguyện viên")
    OTHER = "other", _("Khác")


class CollectiveKind(models.TextChoices):
    PUBLIC_BODY = "public_body", _("Cơ quan, đơn vị")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")
    HOUSEHOLD = "household", _("Hộ gia đình")


class Procedure(models.TextChoices):
    NORMAL = "normal", _("Thủ tục thông thường")
    SIMPLIFIED = "simplified", _("Thủ tục đơn giản")


@dataclass
class NomineeRow:
    """One nominee as read from (or written to) an Excel list; values already validated.

    ``row_number`` is the 1-based sheet row it came from (0 when not from a sheet).
    """

    kind: str  # NomineeKind value
    full_name: str  # person's full name, or the collective's name
    gender: str = ""  # Gender value; individuals only
    birth_year: int | None = None
    birth_date: date | None = None
    ethnicity: str = ""
    position: str = ""  # Chức vụ
    unit_name: str = ""  # Đơn vị công tác (individual) or parent unit (collective)
    category: str = ""  # IndividualCategory value; individuals only
    collective_kind: str = ""  # CollectiveKind value; collectives only
    leader: str = ""  # collectives only
    achievement_summary: str = ""
    citation: str = ""  # text printed on the certificate
    award_form_code: str = ""  # AwardForm.code proposed on this row
    content_area: str = ""  # the code of one of the movement's ContentArea ("2.1"); optional
    participant_kind: str = ""  # movements.ParticipantKind value; optional
    note: str = ""
    row_number: int = 0
    extra: dict = field(default_factory=dict)
