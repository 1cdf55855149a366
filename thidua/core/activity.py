"""Writing the activity log. Every action function calls :func:`record` inside its transaction."""

import json

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext_lazy as _

from thidua.core.models import Activity

VERB_LABELS = {
    "org.created": _("Thành lập tổ chức"),
    "org.renamed": _("Đổi tên tổ chức"),
    "org.moved": _("Thay đổi trực thuộc"),
    "org.merged": _("Sáp nhập tổ chức"),
    "role.granted": _("Giao vai trò"),
    "role.revoked": _("Thu hồi vai trò"),
    "dossier.created": _("Lập hồ sơ"),
    "dossier.updated": _("Sửa thông tin hồ sơ"),
    "nominee.added": _("Thêm người, tập thể"),
    "nominee.updated": _("Sửa thông tin người, tập thể"),
    "nominee.removed": _("Xóa khỏi danh sách"),
    "nominees.imported": _("Nhập danh sách từ Excel"),
    "nominee.duplicate_confirmed": _("Xác nhận không trùng"),
    "nominee.linked": _("Liên kết với đối tượng đã có"),
    "document.uploaded": _("Tải lên tài liệu"),
    "document.removed": _("Xóa tài liệu"),
    "dossier.submit": _("Trình hồ sơ"),
    "dossier.return_for_supplement": _("Trả lại để bổ sung"),
    "dossier.accept": _("Tiếp nhận hồ sơ"),
    "dossier.withdraw": _("Rút hồ sơ"),
    "register.imported": _("Nhập sổ khen thưởng"),
    "document.signed_copy": _("Tải lên bản đã ký"),
    "decision.drafted": _("Lập dự thảo quyết định"),
    "decision.issued": _("Ban hành quyết định"),
    "decision.draft_deleted": _("Xóa dự thảo quyết định"),
    "subject.renamed": _("Sửa họ tên theo quyết định sửa đổi"),
    "certificates.requested": _("Yêu cầu in giấy khen"),
    "layout.saved": _("Thiết lập mẫu phôi giấy khen"),
    "certificates.retried": _("In lại giấy khen"),
    "proposal.drafted": _("Lập dự thảo tờ trình đề nghị cấp trên"),
    "proposal.sent": _("Gửi tờ trình lên cấp trên"),
    "proposal.returned": _("Cấp trên trả lại tờ trình để bổ sung"),
    "proposal.decided": _("Ghi nhận quyết định của cấp trên"),
    "proposal.supplemented": _("Bổ sung tài liệu cho tờ trình"),
    "proposal.draft_deleted": _("Xóa dự thảo tờ trình"),
}


def _jsonable(value):
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def record(verb, *, actor=None, target=None, organisation=None, before=None, after=None,
           reason=""):
    """Append one activity row. ``actor`` may be None for system jobs (fixture loads, imports)."""
    return Activity.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:300] if target is not None else "",
        organisation=organisation,
        before=_jsonable(before),
        after=_jsonable(after),
        reason=reason,
    )
