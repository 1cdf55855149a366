"""The activity log's vocabulary: every verb an action logs, with the words people read.

Kept apart from the log's model and writer so that both can use it; a test fails when code logs
a verb that has no label here.
"""

from django.utils.translation import gettext_lazy as _

VERB_LABELS = {
    "org.created": _("Thành lập tổ chức"),
    "org.renamed": _("Đổi tên tổ chức"),
    "org.moved": _("Thay đổi trực thuộc"),
    "org.merged": _("Sáp nhập tổ chức"),
    "role.granted": _("Giao vai trò"),
    "role.revoked": _("Thu hồi vai trò"),
    "role.changed": _("Sửa chức vụ, thời hạn của vai trò"),
    "user.access_changed": _("Thay đổi quyền truy cập của tài khoản"),
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
    "rulesets.loaded": _("Nạp bộ quy tắc"),
    "movement.loaded": _("Nạp kế hoạch phong trào"),
    "user.admin_created": _("Tạo tài khoản quản trị"),
    "dossier.conclude_committee": _("Ban Chỉ đạo đã họp xét hồ sơ"),
    "dossier.forward_to_council": _("Chuyển hồ sơ Hội đồng TĐKT"),
    "dossier.conclude_council": _("Hội đồng TĐKT đã xét hồ sơ"),
    "dossier.decide_by_unit": _("Đơn vị đã quyết định khen thưởng"),
    "meeting.created": _("Lên lịch phiên họp"),
    "meeting.open": _("Khai mạc phiên họp"),
    "meeting.close": _("Bế mạc phiên họp, công bố kết quả"),
    "meeting.adjourn": _("Hoãn phiên họp"),
    "meeting.attendance": _("Điểm danh thành viên"),
    "meeting.concluded_item": _("Ghi kết luận của Ban Chỉ đạo"),
    "meeting.voted": _("Bỏ phiếu"),
    "meeting.recused": _("Không tham gia biểu quyết (xung đột lợi ích)"),
    "meeting.minutes_corrected": _("Điều chỉnh biên bản"),
    "disclosure.published": _("Công khai danh sách"),
    "disclosure.objection": _("Nhận ý kiến về danh sách công khai"),
    "disclosure.objection_handled": _("Ghi kết quả xử lý ý kiến"),
    "certificates.started": _("Bắt đầu in giấy khen"),
    "certificates.printed": _("In xong giấy khen"),
    "certificates.failed": _("In giấy khen bị lỗi"),
}


def verb_label(verb: str) -> str:
    return str(VERB_LABELS.get(verb, verb))
