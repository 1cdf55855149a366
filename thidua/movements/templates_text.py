"""The template a unit composes its own implementation plan from (kế hoạch triển khai), filled
with what the movement's plan already says: the unit edits it in the product."""

from django.utils.translation import gettext as _

from thidua.movements.queries import criteria_for


def plan_template(movement, organisation) -> str:
    criteria = criteria_for(movement, organisation)
    lines = [
        _("KẾ HOẠCH"),
        _("Triển khai %(title)s") % {"title": movement.title},
        "",
        _("Thực hiện %(kind)s số %(number)s ngày %(day)s của %(issuer)s, %(unit)s xây dựng kế "
          "hoạch triển khai như sau:") % {
            "kind": movement.document_kind, "number": movement.number,
            "day": f"{movement.issued_on:%d/%m/%Y}", "issuer": movement.issuer.name,
            "unit": organisation.name},
        "",
        _("I. MỤC ĐÍCH, YÊU CẦU"),
        _("(Nêu mục đích, yêu cầu của đơn vị.)"),
        "",
        _("II. NỘI DUNG, CHỈ TIÊU THI ĐUA"),
    ]
    for n, criterion in enumerate(criteria, start=1):
        lines.append(f"{n}. {criterion.title}: " + _("(chỉ tiêu, biện pháp của đơn vị)"))
    lines += [
        "",
        _("III. TỔ CHỨC THỰC HIỆN"),
        _("(Phân công người phụ trách, thời hạn báo cáo định kỳ, sơ kết, tổng kết.)"),
    ]
    return "\n".join(lines)
