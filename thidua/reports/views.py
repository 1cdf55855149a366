"""Thống kê pages (/thong-ke/): the dashboards of the office, the secretariat, the chairman and
the council members, each a set of statistics drawn as a chart beside its table; the exports
of every table; the statutory forms; a movement's summary report, written in the background.
Everything is drawn from the person's own scope."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from thidua.core.feedback import perform
from thidua.orgs.models import Role
from thidua.reports import actions, export, statistics, statutory
from thidua.reports.access import get_summarisable_movement, get_summary_report_for
from thidua.reports.charts import bar_chart
from thidua.reports.forms import FilterForm, YearForm

# Bảng điều khiển: (title, the statistics it shows, the role it is made for).
DASHBOARDS = {
    "van-phong": (_("Văn phòng: tiếp nhận, xử lý hồ sơ"),
                  ["ho-so-trang-thai", "thoi-gian", "tra-lai", "ho-so-don-vi", "noi-dung",
                   "doi-tuong-thi-dua", "du-toan"],
                  Role.RECEIVING_OFFICE),
    "thuong-truc": (_("Thường trực Hội đồng: sổ khen thưởng"),
                    ["hinh-thuc", "doi-tuong", "don-vi", "theo-nam", "noi-dung",
                     "doi-tuong-thi-dua", "tien-thuong", "du-toan"],
                    Role.COUNCIL_SECRETARIAT),
    "chu-tich": (_("Chủ tịch: tổng quan"),
                 ["theo-nam", "hinh-thuc", "co-cau", "noi-dung", "doi-tuong-thi-dua",
                  "tien-thuong", "du-toan", "ho-so-trang-thai"],
                 Role.CHAIRMAN),
    "hoi-dong": (_("Thành viên Hội đồng: theo đơn vị"),
                 ["don-vi", "ho-so-don-vi", "co-cau", "doi-tuong", "noi-dung",
                  "doi-tuong-thi-dua"], Role.COUNCIL_MEMBER),
}


def _allowed(request):
    if not request.user.has_perm("reports.view"):
        raise Http404


def _default_board(user) -> str:
    roles = user.roles()
    for key, (_title, _tables, role) in DASHBOARDS.items():
        if role in roles:
            return key
    return "chu-tich"


def _filter_form(request):
    """The form, and the filters with "per year" — or None for both when the query is bad."""
    form = FilterForm(request.GET or None, user=request.user)
    if not request.GET:
        return form, statistics.Filters(), False
    if not form.is_valid():
        return form, None, None
    return form, form.filters(), form.cleaned_data["theo_nam"]


@login_required
def dashboard(request, board=None):
    _allowed(request)
    board = board or _default_board(request.user)
    if board not in DASHBOARDS:
        raise Http404
    title, keys, _role = DASHBOARDS[board]
    form, filters, by_year = _filter_form(request)
    panels = []
    if filters is not None:
        for key in keys:
            table = statistics.table(key, request.user, filters, by_year=by_year)
            panels.append({"table": table, "chart": bar_chart(table)})
    return render(request, "reports/dashboard.html", {
        "board": board, "title": title, "boards": [(k, v[0]) for k, v in DASHBOARDS.items()],
        "form": form, "panels": panels, "query": request.GET.urlencode(),
        "units": form.fields["don_vi"].queryset.only("pk", "name"),
        "chosen": {int(v) for v in request.GET.getlist("don_vi") if v.isdigit()},
    })


@login_required
def table_export(request, key, fmt):
    _allowed(request)
    if key not in statistics.STATISTICS:
        raise Http404
    _form, filters, by_year = _filter_form(request)
    if filters is None:
        raise Http404
    table = statistics.table(key, request.user, filters, by_year=by_year)
    described = export.describe(filters, by_year)
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "xlsx":
        response = HttpResponse(
            export.xlsx(table, described),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        response = HttpResponse(export.csv_text(table, described),
                                content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="thong-ke-{key}-{stamp}.{fmt}"'
    return response


def _reporting_unit(user) -> str:
    memberships = sorted(user.active_memberships(), key=lambda m: m.organisation.path.count("/"))
    return memberships[0].organisation.name if memberships else str(_("Toàn hệ thống"))


@login_required
def statutory_forms(request):
    _allowed(request)
    form = YearForm(request.GET or {"nam": timezone.localdate().year})
    return render(request, "reports/statutory.html", {
        "form": form, "year": form.cleaned_data["nam"] if form.is_valid() else None,
        "forms": list(statutory.FORM_TITLES.items()),
        "boards": [(k, v[0]) for k, v in DASHBOARDS.items()],
    })


@login_required
def statutory_form(request, number):
    _allowed(request)
    if number not in statutory.FORMS:
        raise Http404
    form = YearForm(request.GET)
    if not form.is_valid():
        raise Http404
    year = form.cleaned_data["nam"]
    data = statutory.workbook(number, request.user, year, _reporting_unit(request.user))
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="bieu-{number}-{year}.xlsx"'
    return response


# --- the movement's summary report (báo cáo tổng kết) -----------------------------------------

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
@require_http_methods(["GET", "POST"])
def summary_reports(request, slug):
    """GET: the movement's latest drafts. POST: ask for a new one; its page follows."""
    movement = get_summarisable_movement(request.user, slug)
    if request.method == "POST":
        done = perform(request, actions.request_summary_report, movement, by=request.user)
        if done:
            return redirect(done.value)
    return render(request, "reports/summary_report.html", {
        "movement": movement,
        "recent": movement.summary_reports.select_related("requested_by")[:10]})


@login_required
def summary_report(request, slug, pk):
    """The report's page: a progress bar that polls itself (``?phan=progress``) until the DOCX
    is ready to download or writing has failed."""
    report = get_summary_report_for(request.user, slug, pk)
    context = {"movement": report.movement, "report": report}
    if request.GET.get("phan") == "progress":
        return render(request, "reports/summary_report.html#progress", context)
    return render(request, "reports/summary_report.html", context)


@login_required
@require_POST
def summary_report_retry(request, slug, pk):
    report = get_summary_report_for(request.user, slug, pk)
    perform(request, actions.retry_summary_report, report, by=request.user,
            success=_("Đã đưa báo cáo vào hàng chờ để lập lại."))
    return redirect(report)


@login_required
def summary_report_file(request, slug, pk):
    report = get_summary_report_for(request.user, slug, pk)
    if report.state != report.State.DONE or not report.file:
        raise Http404
    stamp = timezone.localtime(report.finished_at).strftime("%Y%m%d")
    return FileResponse(report.file.open("rb"), as_attachment=True, content_type=DOCX,
                        filename=f"bao-cao-tong-ket-{report.movement.slug}-{stamp}.docx")
