
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.core.feedback import perform
from thidua.core.models import Activity
from thidua.core.paging import keyset_page, page_of
from thidua.core.text import fold
from thidua.core.uploads import MAX_UPLOAD_BYTES, human_size
from thidua.core.workdays import working_days_between
from thidua.documents.views import package_download
from thidua.exemplars.access import get_exemplar_for
from thidua.exemplars.queries import nominee_prefill
from thidua.movements.access import get_movement_for
from thidua.movements.models import Movement
from thidua.nominations import actions, excel, queries
from thidua.nominations.access import (
    get_dossier_for,
    get_file_for,
    get_linkable_subject_for,
    get_nominee_for,
    get_rejected_sheet_for,
)
from thidua.nominations.completeness import kind_lines, missing_nominees, submission_problems
from thidua.nominations.diff import compare
from thidua.nominations.duplicates import duplicate_warnings, flagged
from thidua.nominations.forms import (
    AttachmentForm,
    BulkDocumentsForm,
    DossierForm,
    ExcelUploadForm,
    MarkForm,
    NomineeForm,
    RegisterSearchForm,
    ReturnForm,
    WithdrawForm,
)
from thidua.nominations.lists import award_form_choices, content_area_choices, dossier_list_xlsx
from thidua.nominations.models import (
    Attachment,
    AttachmentVersion,
    AwardRecord,
    Dossier,
    Nominee,
    Subject,
)
from thidua.nominations.rules import dossier_abilities
from thidua.orgs.models import Organisation, Role

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _oversized(request) -> bool:
    """Tell the user about files the upload handler refused for their size."""
    names = getattr(request, "oversized_uploads", [])
    for name in names:
        messages.error(request, _("Tệp “%(name)s” quá lớn; giới hạn là %(limit)s.")
                       % {"name": name, "limit": human_size(
                           getattr(settings, "THIDUA_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES))})
    return bool(names)


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _posted_pk(request, name) -> int | None:
    """An id a page posts in a form field: absent is None, anything but a number is 404 like a
    missing row (never a 500)."""
    value = request.POST.get(name)
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise Http404 from None


def _proposing_orgs(user):
    ids = [o.pk for o in user.organisations_with_role(Role.UNIT_OFFICER, Role.UNIT_HEAD)]
    return Organisation.objects.filter(pk__in=ids)


@login_required
def dossier_list(request):
    """The unit's dossiers (and, for offices, what they can see), newest first."""
    # Newest first, 50 at a time ("older/newer"), each row's count a subquery of its own: the
    # cost of a page does not follow the number of dossiers or nominees.
    dossiers = keyset_page(request, Dossier.objects.visible_to(request.user)
                           .select_related("movement", "organisation", "award_form")
                           .annotate(nominee_count=queries.nominee_count()))
    movements = Movement.objects.filter(status=Movement.Status.PUBLISHED)
    can_create = _proposing_orgs(request.user).exists()
    return render(request, "nominations/list.html", {
        "dossiers": dossiers, "page": dossiers, "movements": movements, "can_create": can_create,
    })


@login_required
def dossier_create(request, slug):
    movement = get_movement_for(request.user, slug)
    organisations = _proposing_orgs(request.user)
    if not organisations.exists():
        raise Http404
    form = DossierForm(request.POST or None, movement=movement, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        done = perform(request, actions.create_dossier, movement=movement, by=request.user,
                       success=_("Đã tạo hồ sơ. Hãy thêm danh sách và tài liệu."),
                       **form.cleaned_data)
        if done:
            return redirect("nominations:detail", done.value.pk)
    return render(request, "nominations/dossier_form.html", {"form": form, "movement": movement})


NOMINEES_PER_PAGE = 50


def _nominee_rows(request, dossier, can):
    """The page of the list on screen: searched by name within the dossier (``?q=``), or only
    the rows with a warning (``?trung=1``), 50 at a time (``?trang=``)."""
    rows = dossier.nominees.all()
    query = request.GET.get("q", "").strip()
    if query:
        rows = rows.filter(name_folded__contains=fold(query))
    if request.GET.get("trung") and (can.edit or can.review):
        rows = rows.filter(pk__in=flagged(dossier).values("pk"))
    return query, page_of(request, rows, NOMINEES_PER_PAGE)


def _with_documents(dossier, nominees) -> None:
    """Each nominee on screen gets its own documents (``n.documents``): one query for the page."""
    by_nominee = {}
    for attachment in (dossier.attachments.filter(nominee__in=nominees)
                       .prefetch_related("versions")):
        by_nominee.setdefault(attachment.nominee_id, []).append(attachment)
    for nominee in nominees:
        nominee.documents = by_nominee.get(nominee.pk, [])


def _checklist_lines(dossier):
    lines = kind_lines(dossier)
    marks = {m.item_key: m for m in dossier.marks.filter(round=dossier.round)}
    for line in lines:
        line.mark = marks.get(line.key)
    return lines


def _detail_context(request, dossier):
    can = dossier_abilities(request.user, dossier)
    query, page = _nominee_rows(request, dossier, can)
    _with_documents(dossier, page.rows)
    lines = _checklist_lines(dossier)
    # Documents of the dossier itself; each nominee's are shown on that nominee's row.
    attachments = list(dossier.attachments.filter(nominee__isnull=True).prefetch_related(
        Prefetch("versions", queryset=AttachmentVersion.objects.select_related("uploaded_by"))))
    warn = can.edit or can.review
    return {
        "can": can,
        "dossier": dossier,
        "nominees": page,
        "nominee_total": dossier.nominees.count(),
        "query": query,
        "only_flagged": bool(request.GET.get("trung")) and warn,
        "flagged_count": flagged(dossier).count() if warn else 0,
        "attachments": attachments,
        "checklist": lines,
        "checklist_ok": all(line.ok for line in lines),
        "problems": submission_problems(dossier, lines)
        if can.edit and not can.own_authority else [],
        "duplicates": duplicate_warnings(dossier, page.rows) if warn else {},
        "deficiencies": list(dossier.deficiencies.select_related("created_by")),
        "history": Activity.objects.for_object(dossier).select_related("actor")[:30],
        "show_outcomes": dossier.state in Dossier.COUNCIL_STATES
        or dossier.nominees.exclude(committee_conclusion="").exists(),
        "attachment_form": AttachmentForm(dossier=dossier) if can.edit else None,
        "rounds": range(2, dossier.round + 1),
        "days_left": working_days_between(timezone.localdate(), dossier.due_on)
        if dossier.due_on and dossier.state == Dossier.State.SUBMITTED else None,
    }


def _missing_context(request, dossier):
    """``?phan=thieu&loai=<document type>``: who still lacks that document, a page at a time."""
    line = next((line for line in kind_lines(dossier)
                 if line.per_nominee and line.document_type == request.GET.get("loai")), None)
    if line is None:
        raise Http404
    return {"dossier": dossier, "line": line, "can": dossier_abilities(request.user, dossier),
            "missing": page_of(request, missing_nominees(dossier, line), NOMINEES_PER_PAGE)}


@login_required
def dossier_detail(request, pk):
    dossier = get_dossier_for(request.user, pk)
    part = request.GET.get("phan")
    if part == "thieu":
        context = _missing_context(request, dossier)
        template = "nominations/_missing.html" if request.htmx else "nominations/missing.html"
        return render(request, template, context)
    context = _detail_context(request, dossier)
    if request.htmx and part == "checklist":
        return render(request, "nominations/detail.html#checklist", context)
    if request.htmx and part == "danh-sach":
        return render(request, "nominations/detail.html#nominee-list", context)
    return render(request, "nominations/detail.html", context)


@login_required
def nominee_detail(request, pk, nominee_pk):
    """One nominee's row actions and documents, opened on demand (htmx: only the panel): the
    dossier page itself carries no form per row."""
    nominee = get_nominee_for(request.user, pk, nominee_pk)
    dossier = nominee.dossier
    can = dossier_abilities(request.user, dossier)
    documents = list(nominee.attachments.prefetch_related("versions"))
    warning = (duplicate_warnings(dossier, [nominee]).get(nominee.pk)
               if can.edit or can.review else None)
    # Opened on the dossier page (htmx says from where): an upload returns there.
    back = request.htmx.current_url if request.htmx else ""
    context = {"dossier": dossier, "nominee": nominee, "documents": documents, "can": can,
               "warning": warning, "back": back,
               "form": AttachmentForm(dossier=dossier, initial={"nominee": nominee.pk},
                                      per_nominee=True, auto_id=f"nguoi-{nominee.pk}-%s")
               if can.edit else None}
    if request.htmx:
        return render(request, "nominations/_nominee_panel.html", context)
    return render(request, "nominations/nominee_detail.html", context)


@login_required
def dossier_edit(request, pk):
    dossier = get_dossier_for(request.user, pk, "edit")
    initial = {"award_form": dossier.award_form, "procedure": dossier.procedure,
               "unit_meeting_date": dossier.unit_meeting_date,
               "unit_meeting_result": dossier.unit_meeting_result}
    form = DossierForm(request.POST or None, initial=initial, movement=dossier.movement,
                       organisations=None)
    if request.method == "POST" and form.is_valid() and perform(
            request, actions.update_dossier, dossier, by=request.user,
            success=_("Đã lưu thông tin hồ sơ."), **form.cleaned_data):
        return redirect("nominations:detail", dossier.pk)
    return render(request, "nominations/dossier_form.html",
                  {"form": form, "movement": dossier.movement, "dossier": dossier})


@login_required
def nominee_add(request, pk):
    dossier = get_dossier_for(request.user, pk, "edit")
    # ?guong=<pk>: prefilled from an exemplar the user may see ("find, foster, honour").
    exemplar_pk = request.GET.get("guong", "")
    initial = (nominee_prefill(get_exemplar_for(request.user, int(exemplar_pk)),
                               dossier.movement)
               if exemplar_pk.isdigit() else None)
    form = NomineeForm(request.POST or None, initial=initial, movement=dossier.movement)
    if request.method == "POST" and form.is_valid() and perform(
            request, actions.add_nominee, dossier, form.row(), by=request.user,
            success=_("Đã thêm %(name)s.") % {"name": form.row().full_name}):
        if "them-tiep" in request.POST:
            return redirect("nominations:nominee-add", dossier.pk)
        return redirect("nominations:detail", dossier.pk)
    return render(request, "nominations/nominee_form.html", {"form": form, "dossier": dossier})


@login_required
def nominee_edit(request, pk, nominee_pk):
    nominee = get_nominee_for(request.user, pk, nominee_pk, "edit")
    form = NomineeForm(request.POST or None, initial=NomineeForm.initial_from(nominee),
                       movement=nominee.dossier.movement)
    if request.method == "POST" and form.is_valid() and perform(
            request, actions.update_nominee, nominee, form.row(), by=request.user,
            success=_("Đã lưu.")):
        return redirect("nominations:detail", nominee.dossier_id)
    return render(request, "nominations/nominee_form.html",
                  {"form": form, "dossier": nominee.dossier, "nominee": nominee})


@login_required
@require_POST
def nominee_remove(request, pk, nominee_pk):
    nominee = get_nominee_for(request.user, pk, nominee_pk, "edit")
    perform(request, actions.remove_nominee, nominee, by=request.user,
            success=_("Đã xóa %(name)s khỏi danh sách.") % {"name": nominee})
    return redirect("nominations:detail", pk)


@login_required
@require_POST
def nominee_not_duplicate(request, pk, nominee_pk):
    nominee = get_nominee_for(request.user, pk, nominee_pk, "edit")
    perform(request, actions.confirm_not_duplicate, nominee, by=request.user,
            success=_("Đã xác nhận %(name)s không trùng.") % {"name": nominee})
    return redirect("nominations:detail", pk)


@login_required
@require_POST
def nominee_link(request, pk, nominee_pk):
    nominee = get_nominee_for(request.user, pk, nominee_pk, "edit")
    subject = get_linkable_subject_for(nominee, _posted_pk(request, "subject"))
    perform(request, actions.link_subject, nominee, subject, by=request.user,
            success=_("Đã liên kết %(name)s với đối tượng đã có.") % {"name": nominee})
    return redirect("nominations:detail", pk)


@login_required
def excel_template(request, slug):
    movement = get_movement_for(request.user, slug)
    return _xlsx(excel.build_template(award_form_choices(movement),
                                      content_areas=content_area_choices(movement)),
                 "mau-danh-sach-de-nghi.xlsx")


@login_required
def excel_import(request, pk):
    dossier = get_dossier_for(request.user, pk, "edit")
    form = ExcelUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and _oversized(request):
        pass
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        try:
            result = excel.parse_nominee_sheet(
                data, award_form_choices(dossier.movement), dossier_form=dossier.award_form.code,
                content_areas=content_area_choices(dossier.movement))
        except Exception:  # noqa: BLE001 - any unreadable file gets the same clear message
            form.add_error("file", _("Không đọc được tệp. Hãy chọn tệp Excel (.xlsx) theo mẫu."))
        else:
            if not result.ok:
                # Kept for its uploader, to send back with a "Lỗi" column (excel_errors).
                perform(request, actions.keep_rejected_sheet, dossier, data, result.errors,
                        by=request.user)
            elif perform(request, actions.import_nominees, dossier, result.rows,
                         by=request.user, source_sha256=form.checked.sha256,
                         success=lambda count: _("Đã nhập %(count)s dòng vào danh sách.")
                         % {"count": count}):
                return redirect("nominations:detail", dossier.pk)
    return render(request, "nominations/import.html",
                  {"form": form, "dossier": dossier, "result": result})


@login_required
def excel_errors(request, pk):
    """The officer's own sheet back, with an error column, to fix and upload again."""
    dossier = get_dossier_for(request.user, pk, "edit")
    sheet = get_rejected_sheet_for(request.user, dossier)
    try:
        with sheet.file.open("rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise Http404 from None
    errors = [excel.CellError(row, column, message) for row, column, message in sheet.errors]
    try:
        content = excel.error_workbook(data, errors)
    except Exception:  # noqa: BLE001 - a sheet openpyxl cannot rewrite: say so, do not crash
        messages.error(request, _("Không tạo được tệp kèm cột lỗi cho tệp này; hãy xem danh "
                                  "sách lỗi trên trang."))
        return redirect("nominations:import", dossier.pk)
    return _xlsx(content, f"danh-sach-loi-ho-so-{dossier.pk}.xlsx")


@login_required
def excel_export(request, pk):
    dossier = get_dossier_for(request.user, pk)
    return _xlsx(dossier_list_xlsx(dossier), f"danh-sach-ho-so-{dossier.pk}.xlsx")


@login_required
def dossier_package(request, pk):
    """One ZIP with every current document, the list and a manifest (SHA-256 per file); a large
    one is made by the worker (``nominations.packages``, ``documents.views.package_download``)."""
    dossier = get_dossier_for(request.user, pk)
    return package_download(request, "unit_proposal", dossier)


@login_required
@require_POST
def attachment_upload(request, pk):
    dossier = get_dossier_for(request.user, pk, "edit")
    if request.FILES is not None and _oversized(request):
        return redirect(f"{dossier_url(dossier)}#tai-lieu")
    form = AttachmentForm(request.POST, request.FILES, dossier=dossier)
    replace = _posted_pk(request, "replace")
    attachment = get_object_or_404(Attachment, pk=replace, dossier=dossier) if replace else None
    if form.is_valid() or (attachment and request.FILES.get("file")):
        data = form.cleaned_data if form.is_valid() else {}
        perform(
            request, actions.attach_document, dossier, by=request.user,
            uploaded_file=request.FILES["file"],
            document_type=attachment.document_type if attachment else data["document_type"],
            nominee=attachment.nominee if attachment else data.get("nominee"),
            original=attachment.original if attachment else data["original"],
            attachment=attachment, success=_("Đã tải lên tài liệu."),
        )
    else:
        for field_errors in form.errors.values():
            for error in field_errors:
                messages.error(request, error)
    nominee = attachment.nominee if attachment else form.cleaned_data.get("nominee")
    back = request.POST.get("tiep", "")
    if nominee is not None and urlsplit(back).path == dossier_url(dossier) \
            and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        # Uploaded from the row's panel on the dossier page: back to that page and row.
        return redirect(f"{back.split('#')[0]}#nguoi-{nominee.pk}")
    if nominee is not None:
        return redirect("nominations:nominee", dossier.pk, nominee.pk)
    return redirect(f"{dossier_url(dossier)}#tai-lieu")


@login_required
def bulk_documents(request, pk):
    """Many nominees' documents in one upload, matched by row or name; answers with the report
    of what matched (no redirect: the report is the page)."""
    dossier = get_dossier_for(request.user, pk, "edit")
    report = None
    if request.method == "POST":
        form = BulkDocumentsForm(request.POST, request.FILES)
        oversized = getattr(request, "oversized_uploads", [])
        if form.is_valid() and not form.cleaned_data["files"] and not oversized:
            form.add_error("files", _("Hãy chọn ít nhất một tệp."))
        if form.is_valid():
            outcome = perform(
                request, actions.attach_nominee_documents, dossier, by=request.user,
                document_type=form.cleaned_data["document_type"], files=form.cleaned_data["files"],
                original=form.cleaned_data["original"],
                success=lambda r: _("Đã lưu %(n)s tệp.") % {"n": len(r.matched)}
                if r.matched else "")
            report = outcome.value
            if report is not None:
                limit = human_size(getattr(settings, "THIDUA_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES))
                report.refused[:0] = [
                    (name, _("Tệp quá lớn; giới hạn là %(limit)s.") % {"limit": limit})
                    for name in oversized]
    else:
        wanted = request.GET.get("loai")
        form = BulkDocumentsForm(initial={"document_type": wanted} if wanted else None)
    return render(request, "nominations/bulk_documents.html",
                  {"dossier": dossier, "form": form, "report": report})


def dossier_url(dossier):
    return reverse("nominations:detail", args=[dossier.pk])


@login_required
def attachment_download(request, pk, version_pk):
    version = get_file_for(request.user, pk, version_pk)
    try:
        handle = version.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    # Always a download, never rendered inline: an uploaded file must not run in our origin.
    return FileResponse(handle, as_attachment=True, filename=version.original_name,
                        content_type=version.content_type)


@login_required
@require_POST
def dossier_submit(request, pk):
    dossier = get_dossier_for(request.user, pk, "submit")
    perform(request, actions.submit_dossier, dossier, by=request.user,
            success=_("Đã trình hồ sơ tới %(office)s.")
            % {"office": dossier.movement.receiving_office})
    return redirect("nominations:detail", pk)


@login_required
def dossier_withdraw(request, pk):
    dossier = get_dossier_for(request.user, pk, "withdraw")
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and perform(
            request, actions.withdraw_dossier, dossier, by=request.user,
            reason=form.cleaned_data["reason"], success=_("Đã rút hồ sơ.")):
        return redirect("nominations:detail", pk)
    return render(request, "nominations/withdraw.html", {"form": form, "dossier": dossier})


@login_required
def queue(request):
    """The receiving office's queue, the most urgent first."""
    offices = request.user.organisations_with_role(Role.RECEIVING_OFFICE)
    if not offices and not request.user.is_superuser:
        raise Http404
    dossiers = page_of(request, Dossier.objects.visible_to(request.user)
                       .filter(state=Dossier.State.SUBMITTED)
                       .select_related("movement", "organisation", "award_form")
                       .annotate(nominee_count=queries.nominee_count())
                       .order_by("due_on", "submitted_at", "pk"))
    today = timezone.localdate()
    rows = [(d, working_days_between(today, d.due_on) if d.due_on else None) for d in dossiers]
    recent = (Dossier.objects.visible_to(request.user)
              .filter(state__in=[Dossier.State.RETURNED, Dossier.State.ACCEPTED])
              .select_related("organisation", "award_form").order_by("-updated_at")[:20])
    return render(request, "nominations/queue.html", {"rows": rows, "recent": recent,
                                                      "page": dossiers})


def _round(request):
    """The submission round the user's page showed (a hidden field), if it sent one."""
    try:
        return int(request.POST["round"])
    except (KeyError, ValueError):
        return None


@login_required
@require_POST
def review_mark(request, pk):
    dossier = get_dossier_for(request.user, pk, "review")
    form = MarkForm(request.POST)
    if form.is_valid():
        perform(request, actions.mark_item, dossier, by=request.user,
                expected_round=_round(request), **form.cleaned_data)
    else:
        messages.error(request, _("Đánh dấu không hợp lệ; hãy tải lại trang."))
    if request.htmx:
        dossier.refresh_from_db()
        return render(request, "nominations/detail.html#checklist",
                      _detail_context(request, dossier))
    return redirect("nominations:detail", pk)


@login_required
@require_POST
def review_accept(request, pk):
    dossier = get_dossier_for(request.user, pk, "review")
    perform(request, actions.accept_dossier, dossier, by=request.user,
            expected_round=_round(request), success=_("Đã tiếp nhận hồ sơ."))
    return redirect("nominations:detail", pk)


@login_required
@require_POST
def review_return(request, pk):
    dossier = get_dossier_for(request.user, pk, "review")
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nội dung trả lại không hợp lệ."))
        return redirect("nominations:detail", pk)
    perform(request, actions.return_dossier, dossier, by=request.user,
            other=form.cleaned_data["other"], expected_round=_round(request),
            success=_("Đã trả lại hồ sơ để bổ sung."))
    return redirect("nominations:detail", pk)


@login_required
@require_POST
def dossier_forward(request, pk):
    dossier = get_dossier_for(request.user, pk, "review")
    perform(request, actions.forward_to_council, dossier, by=request.user,
            success=_("Đã chuyển hồ sơ để Hội đồng TĐKT xét (qua %(office)s).")
            % {"office": dossier.movement.council_secretariat})
    return redirect("nominations:detail", pk)


@login_required
def dossier_diff(request, pk, round_no):
    dossier = get_dossier_for(request.user, pk)
    snapshots = {s.round: s.data for s in dossier.snapshots.filter(round__in=[round_no - 1,
                                                                              round_no])}
    if round_no - 1 not in snapshots or round_no not in snapshots:
        raise Http404
    return render(request, "nominations/diff.html", {
        "dossier": dossier, "round_no": round_no,
        "diff": compare(snapshots[round_no - 1], snapshots[round_no]),
    })


REGISTER_PER_PAGE = 20


@login_required
def register(request):
    """Sổ khen thưởng: every subject's awards, searched without diacritics."""
    if not request.user.has_perm("nominations.view_register"):
        raise Http404
    form = RegisterSearchForm(request.GET or None)
    subjects = []
    query = ""
    if form.is_valid() and form.cleaned_data["q"]:
        query = form.cleaned_data["q"]
        visible = Dossier.objects.visible_to(request.user)
        # A subject only known from another unit's unsent draft is that unit's business.
        found = Subject.objects.search(query).visible_to(request.user)
        # 20 people a page, by name; each with their awards and visible nominations.
        subjects = page_of(request, found.prefetch_related(
            Prefetch("awards", queryset=AwardRecord.objects.order_by("-decision_date")),
            Prefetch("nominations", to_attr="nomination_list",
                     queryset=Nominee.objects.filter(dossier__in=visible)
                     .select_related("dossier__movement", "dossier__award_form")),
        ), REGISTER_PER_PAGE)
    return render(request, "nominations/register.html", {
        "form": form, "subjects": subjects, "page": subjects, "query": query,
        "folded": fold(query),
        "can_import": request.user.has_perm("nominations.manage_register"),
    })


def _warn_unknown_awards(request, rows) -> None:
    """An old register may name forms of an earlier legal basis: imported as written, but the
    lines whose form the catalogue does not know are named, never passed over in silence."""
    unknown = queries.unknown_award_names(rows)
    if not unknown:
        return
    shown = "; ".join(_("dòng %(row)s: “%(award)s”") % {"row": row, "award": award}
                      for row, award in unknown[:20])
    more = len(unknown) - 20
    messages.warning(request, _("%(count)s dòng ghi hình thức khen thưởng không có trong danh "
                                "mục hình thức (đã nhập theo tên ghi trong tệp, hãy kiểm tra "
                                "lại): %(rows)s%(more)s")
                     % {"count": len(unknown), "rows": shown,
                        "more": _("; và %(n)s dòng khác") % {"n": more} if more > 0 else ""})


@login_required
def register_import(request):
    if not request.user.has_perm("nominations.manage_register"):
        raise Http404
    form = ExcelUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = excel.parse_award_register(form.cleaned_data["file"].read())
        except Exception:  # noqa: BLE001 - any unreadable file gets the same clear message
            form.add_error("file", _("Không đọc được tệp. Hãy chọn tệp Excel (.xlsx)."))
        else:
            if result.ok and perform(
                    request, actions.import_award_register, result.rows, by=request.user,
                    success=lambda added: _("Đã nhập %(added)s khen thưởng vào sổ "
                                            "(%(skipped)s dòng đã có).")
                    % {"added": added, "skipped": len(result.rows) - added}):
                _warn_unknown_awards(request, result.rows)
                return redirect("register:search")
    return render(request, "nominations/register_import.html", {"form": form, "result": result})
