"""Pages where the secretariat (or a unit) sets up its pre-printed blanks and prints the test
page to calibrate the printer."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from thidua.core.feedback import perform
from thidua.documents import certificates
from thidua.documents.forms import LayoutForm
from thidua.documents.layouts import manageable, save_layout
from thidua.documents.models import CertificateLayout
from thidua.documents.rules import layout_organisations
from thidua.documents.views import download
from thidua.orgs.models import Organisation

SAMPLE = certificates.CertificateText(
    issuer_title="CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ BẮC KẠN",
    name="Nguyễn Thị Thu Hường", unit="Điều dưỡng – Trung tâm Y tế thành phố Bắc Kạn",
    citation="Đã có thành tích xuất sắc trong phong trào thi đua phòng, chống dịch COVID-19",
    decision="Quyết định số 1234/QĐ-UBND ngày 20/12/2021", serial="Số vào sổ: 2021.001.00001",
    place_date="Bắc Kạn, ngày 20 tháng 12 năm 2021", signer_title="CHỦ TỊCH",
    signer_name="Ma Văn Bình", verify_url="https://example.gov.vn/xac-minh/2021.001.00001/")


def _organisations(user):
    if user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=layout_organisations(user))


def _layout_for(user, pk) -> CertificateLayout:
    return get_object_or_404(manageable(user), pk=pk)


@login_required
def layout_list(request):
    if not request.user.has_perm("documents.manage_layouts"):
        raise Http404
    return render(request, "documents/layout_list.html", {
        "layouts": manageable(request.user).select_related("organisation").order_by("name")})


@login_required
def layout_edit(request, pk=None):
    if not request.user.has_perm("documents.manage_layouts"):
        raise Http404
    layout = _layout_for(request.user, pk) if pk else CertificateLayout(name="")
    organisations = _organisations(request.user)
    form = LayoutForm(request.POST or None, layout=layout, organisations=organisations,
                      shared_allowed=request.user.is_superuser)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = perform(
            request, save_layout, layout, organisation=data["organisation"], name=data["name"],
            page_width_mm=data["page_width_mm"], page_height_mm=data["page_height_mm"],
            offset_x_mm=data["offset_x_mm"], offset_y_mm=data["offset_y_mm"],
            positions=form.positions(), by=request.user,
            success=_("Đã lưu mẫu phôi. In trang thử để kiểm tra vị trí."))
        if done:
            return redirect("layouts:edit", done.value.pk)
    return render(request, "documents/layout_form.html", {"form": form, "layout": layout})


@login_required
def layout_test_page(request, pk):
    """Trang in thử: the grid with each field's mark, then a sample certificate on the blank."""
    layout = _layout_for(request.user, pk)
    pdf = certificates.render([SAMPLE], layout, test_page=True)
    return download(pdf, f"in-thu-mau-phoi-{layout.pk}.pdf", "application/pdf")
