from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from thidua.core.feedback import perform
from thidua.core.paging import page_of
from thidua.movements import actions, charts, exports, forms
from thidua.movements.access import get_movement_for, get_movement_with, get_period, get_unit_for
from thidua.movements.models import (
    Commitment,
    Evidence,
    Movement,
    Participant,
    PlanItem,
    Registration,
    Supervision,
    UnitPlan,
)
from thidua.movements.queries import (
    budget_use,
    criteria_for,
    overview,
    participant_rows,
    registration_is_late,
    supervision_for,
    unit_rows,
    units_for,
)
from thidua.movements.rules import movement_abilities
from thidua.movements.templates_text import plan_template
from thidua.orgs.models import Role


def movement_list(request):
    movements = Movement.objects.visible_to(request.user).select_related("issuer")
    return render(request, "movements/list.html", {
        "movements": page_of(request, movements),
        "can_create": request.user.has_perm("movements.create"),
    })


def movement_detail(request, slug):
    """The plan's structure, readable by anyone for a published movement."""
    movement = get_movement_for(request.user, slug)
    items = movement.plan_items.prefetch_related("organisations")
    sections = {key: list(group) for key, group in groupby(items, key=lambda i: i.section)}
    award_forms = movement.movement_award_forms.select_related("award_form")
    units = units_for(request.user, movement)
    can = movement_abilities(request.user, movement, units)
    context = {
        "movement": movement,
        "can": can,
        # The budget is the plan's; what was spent beside it only for those who monitor.
        "budget_use": budget_use(movement) if can.monitor else None,
        "parents": movement.parents.all(),
        "content_areas": movement.content_areas.all(),
        "criteria": movement.criteria.all(),
        "purposes": sections.get(PlanItem.Section.PURPOSE, []),
        "solutions": sections.get(PlanItem.Section.SOLUTION, []),
        "honouree_groups": sections.get(PlanItem.Section.HONOUREE_GROUP, []),
        "procedure": sections.get(PlanItem.Section.PROCEDURE_STEP, []),
        "responsibilities": sections.get(PlanItem.Section.RESPONSIBILITY, []),
        "award_forms": award_forms,
        "dossier_components": movement.dossier_components.all(),
        "communications_editors": movement.communications_editors.all(),
        "periods": movement.report_periods.all(),
        "can_propose": movement.status == Movement.Status.PUBLISHED
        and request.user.is_authenticated
        and bool(request.user.organisations_with_role(Role.UNIT_OFFICER, Role.UNIT_HEAD)),
    }
    return render(request, "movements/detail.html", context)


@login_required
def my_supervision(request):
    """What a council member follows (the same section their home page shows)."""
    return render(request, "movements/supervision.html",
                  {"supervision": supervision_for(request.user)})


@login_required
def movement_create(request):
    if not request.user.has_perm("movements.create"):
        raise Http404
    form = forms.MovementForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        editors = data.pop("communications_editors")
        done = perform(request, actions.create_movement, by=request.user,
                       communications_editors=editors, **data,
                       success=_("Đã lập dự thảo phong trào."))
        if done:
            return redirect("movements:setup", done.value.slug)
    return render(request, "movements/form.html", {"form": form, "movement": None},
                  status=400 if form.errors else 200)


SETUP_PARTS = {
    "chung": "general", "van-ban": "plan_file", "can-cu": "parent", "bo-can-cu": "remove_parent",
    "noi-dung": "area", "tieu-chi": "criterion", "xoa-muc": "remove_item",
    "sua-noi-dung": "edit_area", "sua-tieu-chi": "edit_criterion",
    "don-vi": "participants", "rut-don-vi": "remove_participant", "ky-bao-cao": "period",
    "giam-sat": "supervision", "bo-giam-sat": "remove_supervision",
}


@login_required
def movement_setup(request, slug):
    """Everything the office sets up for a movement, part by part (``?phan=`` names the part a
    form posts)."""
    movement = get_movement_with(request.user, slug, "movements.manage")
    part = SETUP_PARTS.get(request.GET.get("phan", ""), "")
    bound = {}
    if request.method == "POST":
        handler = globals().get(f"_setup_{part}")
        if handler is None:
            raise Http404
        result = handler(request, movement)
        if result is None:
            return redirect(request.path + "#" + request.GET.get("phan", ""))
        bound[part] = result
    movement.refresh_from_db()
    participants = movement.participants.select_related("organisation")
    return render(request, "movements/setup.html", {
        "movement": movement,
        "can": movement_abilities(request.user, movement),
        "general": bound.get("general") or forms.MovementForm(instance=movement, user=request.user),
        "upload": bound.get("plan_file") or forms.style(forms.UploadForm()),
        "parent_form": bound.get("parent") or forms.style(forms.ParentForm()),
        "area_form": bound.get("area") or forms.style(forms.ContentAreaForm()),
        "criterion_form": bound.get("criterion") or forms.style(forms.CriterionForm()),
        "participants_form": bound.get("participants") or forms.style(forms.ParticipantsForm()),
        "period_form": bound.get("period") or forms.style(forms.PeriodForm()),
        "supervision_form": bound.get("supervision")
        or forms.style(forms.SupervisionForm(movement=movement)),
        "parents": movement.parents.select_related("parent_movement"),
        "content_areas": _with_edit_forms(
            movement.content_areas.prefetch_related("organisations"), forms.area_edit_form,
            bound.get("edit_area")),
        "criteria": _with_edit_forms(movement.criteria.all(), forms.criterion_edit_form,
                                     bound.get("edit_criterion")),
        "participants": page_of(request, participants),
        "periods": movement.report_periods.all(),
        "supervisions": movement.supervisions.select_related("member", "content_area",
                                                              "organisation"),
    }, status=400 if bound else 200)


def _setup_general(request, movement):
    form = forms.MovementForm(request.POST, instance=Movement.objects.get(pk=movement.pk),
                              user=request.user)
    if not form.is_valid():
        return form
    data = {k: v for k, v in form.cleaned_data.items() if k != "communications_editors"}
    done = perform(request, actions.update_movement, movement, by=request.user,
                   communications_editors=form.cleaned_data["communications_editors"], **data,
                   success=_("Đã lưu thông tin phong trào."))
    return None if done else form


def _setup_plan_file(request, movement):
    form = forms.style(forms.UploadForm(request.POST, request.FILES))
    if not form.is_valid():
        return form
    done = perform(request, actions.set_plan_file, movement, uploaded_file=form.cleaned_data["file"],
                   by=request.user, success=_("Đã tải lên văn bản kế hoạch."))
    return None if done else form


def _simple(request, form, action, *args, success, **extra):
    if not form.is_valid():
        return form
    done = perform(request, action, *args, by=request.user, **extra, **form.cleaned_data,
                   success=success)
    return None if done else form


def _setup_parent(request, movement):
    return _simple(request, forms.style(forms.ParentForm(request.POST)), actions.add_parent,
                   movement, success=_("Đã thêm văn bản cấp trên."))


def _setup_remove_parent(request, movement):
    parent = get_object_or_404(movement.parents, pk=request.POST.get("id"))
    perform(request, actions.remove_parent, parent, by=request.user,
            success=_("Đã bỏ văn bản cấp trên."))


def _setup_area(request, movement):
    return _simple(request, forms.style(forms.ContentAreaForm(request.POST)),
                   actions.add_content_area, movement, success=_("Đã thêm nội dung thi đua."))


def _setup_criterion(request, movement):
    return _simple(request, forms.style(forms.CriterionForm(request.POST)), actions.add_criterion,
                   movement, success=_("Đã thêm tiêu chí."))


def _setup_remove_item(request, movement):
    source = movement.criteria if request.POST.get("loai") == "tieu-chi" else movement.content_areas
    item = get_object_or_404(source, pk=request.POST.get("id"))
    perform(request, actions.remove_structure_item, item, by=request.user,
            success=_("Đã xóa."))


def _with_edit_forms(items, make, bound):
    """Each content area or criterion with its form to correct it in place; the one just posted
    with errors keeps what was typed."""
    items = list(items)
    for item in items:
        if bound is not None and bound.item_pk == item.pk:
            item.edit_form = bound
        else:
            item.edit_form = make(item)
    return items


def _setup_edit_area(request, movement):
    area = get_object_or_404(movement.content_areas, pk=request.POST.get("id"))
    form = forms.area_edit_form(area, request.POST)
    return _simple(request, form, actions.update_content_area, area,
                   success=_("Đã sửa nội dung thi đua."))


def _setup_edit_criterion(request, movement):
    criterion = get_object_or_404(movement.criteria, pk=request.POST.get("id"))
    form = forms.criterion_edit_form(criterion, request.POST)
    return _simple(request, form, actions.update_criterion, criterion,
                   success=_("Đã sửa tiêu chí."))


def _setup_participants(request, movement):
    form = forms.style(forms.ParticipantsForm(request.POST))
    if not form.is_valid():
        return form
    data = form.cleaned_data
    if data["organisation"] is not None:
        organisations = [data["organisation"]]
    else:
        organisations = list(actions.organisations_by(movement, kinds=data["kinds"],
                                                       levels=data["levels"]))
    done = perform(request, actions.add_participants, movement, by=request.user,
                   organisations=organisations,
                   success=lambda n: _("Đã thêm %(n)s đơn vị tham gia.") % {"n": n})
    return None if done else form


def _setup_remove_participant(request, movement):
    participant = get_object_or_404(movement.participants, pk=request.POST.get("id"))
    perform(request, actions.remove_participant, participant, by=request.user,
            success=lambda outcome: _("Đơn vị đã có hồ sơ, báo cáo nên được giữ lại, ghi là đã "
                                      "rút khỏi phong trào.") if outcome == "kept"
            else _("Đã bỏ đơn vị khỏi phong trào."))


def _setup_period(request, movement):
    return _simple(request, forms.style(forms.PeriodForm(request.POST)), actions.add_period,
                   movement, success=_("Đã thêm kỳ báo cáo."))


def _setup_supervision(request, movement):
    return _simple(request, forms.style(forms.SupervisionForm(request.POST, movement=movement)),
                   actions.assign_supervision, movement, success=_("Đã phân công theo dõi."))


def _setup_remove_supervision(request, movement):
    supervision = get_object_or_404(Supervision, movement=movement, pk=request.POST.get("id"))
    perform(request, actions.remove_supervision, supervision, by=request.user,
            success=_("Đã bỏ phân công."))


# Built at import time, so the messages are lazy: each reader gets their own language.
MOVES = {"phat-dong": (actions.launch_movement, gettext_lazy(
             "Đã phát động phong trào; các đơn vị tham gia đã được thông báo.")),
         "ket-thuc": (actions.close_movement, gettext_lazy("Đã kết thúc phong trào.")),
         "tong-ket": (actions.summarise_movement, gettext_lazy("Đã ghi nhận tổng kết phong trào."))}


@login_required
@require_POST
def movement_move(request, slug):
    movement = get_movement_with(request.user, slug, "movements.manage")
    move = MOVES.get(request.POST.get("chuyen", ""))
    if move is None:
        raise Http404
    perform(request, move[0], movement, by=request.user,
            seen={"status": request.POST.get("trang_thai") or None}, success=str(move[1]))
    return redirect("movements:detail", movement.slug)


def plan_file(request, slug):
    movement = get_movement_for(request.user, slug)
    if not movement.plan_file:
        raise Http404
    return _download(movement.plan_file, movement.plan_file_name)


def _download(field, name):
    response = FileResponse(field.open("rb"), as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the unit's side ---------------------------------------------------------------------------


def _unit_context(request, movement):
    unit = get_unit_for(request.user, movement, request.GET.get("don-vi"))
    return unit, units_for(request.user, movement)


@login_required
def register(request, slug):
    """The unit's registration: its officer writes the commitments, its head sends them."""
    movement = get_movement_for(request.user, slug)
    unit, units = _unit_context(request, movement)
    registration = movement.registrations.filter(organisation=unit).first()
    criteria = criteria_for(movement, unit)
    if request.method == "POST":
        if request.POST.get("gui"):
            if registration is None:
                raise Http404
            done = perform(request, actions.submit_registration, registration, by=request.user,
                           seen={"state": request.POST.get("trang_thai") or None},
                           success=_("Đã gửi bản đăng ký thi đua."))
        else:
            commitments = {
                c.pk: {"kind": request.POST.get(f"k-{c.pk}", Commitment.Kind.PLEDGE),
                       "target": request.POST.get(f"t-{c.pk}", ""),
                       "pledged": bool(request.POST.get(f"p-{c.pk}")),
                       "note": request.POST.get(f"n-{c.pk}", "")} for c in criteria}
            done = perform(request, actions.save_registration, movement, unit, by=request.user,
                           commitments=commitments, note=request.POST.get("note", ""),
                           success=_("Đã lưu bản đăng ký."))
        if done:
            return redirect(f"{request.path}?don-vi={unit.pk}")
    commitments = {c.criterion_id: c for c in registration.commitments.all()} if registration else {}
    rows = [(c, commitments.get(c.pk)) for c in criteria]
    return render(request, "movements/register.html", {
        "movement": movement, "unit": unit, "units": units, "registration": registration,
        "rows": rows, "late": registration_is_late(movement),
        "can_edit": movement.is_running and (registration is None or registration.is_editable)
        and request.user.has_perm("movements.prepare", unit),
        "can_submit": movement.is_running and registration is not None and registration.is_editable
        and request.user.has_perm("movements.approve", unit),
    })


@login_required
def unit_plan(request, slug):
    movement = get_movement_for(request.user, slug)
    unit, units = _unit_context(request, movement)
    plan = movement.unit_plans.filter(organisation=unit).first()
    initial = {"number": plan.number, "issued_on": plan.issued_on, "text": plan.text} if plan \
        else {"text": plan_template(movement, unit)}
    form = forms.style(forms.UnitPlanForm(request.POST or None, request.FILES or None,
                                          initial=initial))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = perform(request, actions.file_unit_plan, movement, unit, by=request.user,
                       number=data["number"], issued_on=data["issued_on"], text=data["text"],
                       uploaded_file=data["file"], success=_("Đã gửi kế hoạch của đơn vị."))
        if done:
            return redirect(f"{request.path}?don-vi={unit.pk}")
    return render(request, "movements/unit_plan.html", {
        "movement": movement, "unit": unit, "units": units, "plan": plan, "form": form,
        "can_edit": movement.is_running and request.user.has_perm("movements.prepare", unit),
    }, status=400 if form.errors else 200)


@login_required
def report(request, slug, period_pk):
    """The unit's progress report for one period."""
    movement = get_movement_for(request.user, slug)
    period = get_period(movement, period_pk)
    unit, units = _unit_context(request, movement)
    current = period.reports.filter(organisation=unit).first()
    criteria = criteria_for(movement, unit)
    if request.method == "POST":
        if request.POST.get("gui"):
            if current is None:
                raise Http404
            done = perform(request, actions.submit_report, current, by=request.user,
                           seen={"state": request.POST.get("trang_thai") or None},
                           success=_("Đã gửi báo cáo."))
        elif request.FILES.get("file"):
            if current is None:
                raise Http404
            done = perform(request, actions.add_evidence, current, by=request.user,
                           uploaded_file=request.FILES["file"], success=_("Đã thêm minh chứng."))
        else:
            entries = {c.pk: {"done": request.POST.get(f"d-{c.pk}", ""),
                              "figure": request.POST.get(f"f-{c.pk}", ""),
                              "note": request.POST.get(f"n-{c.pk}", "")} for c in criteria}
            done = perform(request, actions.save_report, period, unit, by=request.user,
                           entries=entries, summary=request.POST.get("summary", ""),
                           success=_("Đã lưu báo cáo."))
        if done:
            return redirect(f"{request.path}?don-vi={unit.pk}")
    entries = {e.criterion_id: e for e in current.entries.all()} if current else {}
    commitments = {}
    registration = movement.registrations.filter(organisation=unit).first()
    if registration:
        commitments = {c.criterion_id: c for c in registration.commitments.all()}
    return render(request, "movements/report.html", {
        "movement": movement, "period": period, "unit": unit, "units": units, "report": current,
        "rows": [(c, entries.get(c.pk), commitments.get(c.pk)) for c in criteria],
        "evidence": current.evidence.all() if current else [],
        "can_edit": movement.is_running and (current is None or current.is_editable)
        and request.user.has_perm("movements.prepare", unit),
    })


# --- the office's side -------------------------------------------------------------------------


def _participants(movement):
    return movement.participants.select_related("organisation").order_by("organisation__path")


@login_required
def registrations(request, slug):
    """Who has registered and who has not; accept, return, or take in after the deadline."""
    movement = get_movement_with(request.user, slug, "movements.monitor")
    if request.method == "POST":
        _registration_post(request, movement)
        return redirect(request.get_full_path())
    page = page_of(request, _participants(movement))
    return render(request, "movements/registrations.html", {
        "movement": movement, "page": page, "rows": participant_rows(movement, page),
        "late": registration_is_late(movement), "can": movement_abilities(request.user, movement),
        "reason_form": forms.style(forms.ReasonForm()),
    })


def _registration_post(request, movement):
    participant = get_object_or_404(Participant, movement=movement, pk=request.POST.get("id"))
    what = request.POST.get("viec")
    reason = request.POST.get("reason", "")
    seen = {"state": request.POST.get("trang_thai") or None}
    if what == "nhan-sau-han":
        perform(request, actions.accept_late_registration, movement, participant.organisation,
                by=request.user, reason=reason,
                success=_("Đã tiếp nhận bản đăng ký sau hạn; lý do đã được ghi lại."))
        return
    registration = get_object_or_404(Registration, movement=movement,
                                     organisation=participant.organisation)
    if what == "tiep-nhan":
        perform(request, actions.accept_registration, registration, by=request.user, seen=seen,
                success=_("Đã tiếp nhận bản đăng ký."))
    elif what == "tra-lai":
        perform(request, actions.return_registration, registration, by=request.user,
                reason=reason, seen=seen, success=_("Đã trả lại bản đăng ký."))
    else:
        raise Http404


@login_required
def registration_detail(request, slug, pk):
    movement = get_movement_with(request.user, slug, "movements.monitor")
    registration = get_object_or_404(movement.registrations.select_related("organisation"), pk=pk)
    return render(request, "movements/registration_detail.html", {
        "movement": movement, "registration": registration,
        "commitments": registration.commitments.select_related("criterion"),
    })


@login_required
def period(request, slug, pk):
    """A period's reports for the office; for a review round, its conclusion."""
    movement = get_movement_with(request.user, slug, "movements.monitor")
    period = get_period(movement, pk)
    conclusion_form = forms.style(forms.ConclusionForm(initial={"conclusion": period.conclusion}))
    if request.method == "POST":
        if request.POST.get("viec") == "ket-luan":
            conclusion_form = forms.style(forms.ConclusionForm(request.POST))
            if conclusion_form.is_valid():
                done = perform(request, actions.conclude_period, period, by=request.user,
                               **conclusion_form.cleaned_data, success=_("Đã ghi kết luận."))
                if done:
                    return redirect(request.path)
        else:
            current = get_object_or_404(period.reports, pk=request.POST.get("id"))
            seen = {"state": request.POST.get("trang_thai") or None}
            if request.POST.get("viec") == "tiep-nhan":
                perform(request, actions.accept_report, current, by=request.user, seen=seen,
                        success=_("Đã tiếp nhận báo cáo."))
            elif request.POST.get("viec") == "tra-lai":
                perform(request, actions.return_report, current, by=request.user, seen=seen,
                        reason=request.POST.get("reason", ""), success=_("Đã trả lại báo cáo."))
            else:
                raise Http404
            return redirect(request.get_full_path())
    page = page_of(request, _participants(movement))
    reports = {r.organisation_id: r for r in period.reports.filter(
        organisation_id__in=[p.organisation_id for p in page]).prefetch_related(
        "entries__criterion", "evidence")}
    return render(request, "movements/period.html", {
        "movement": movement, "period": period, "page": page,
        "rows": [(p, reports.get(p.organisation_id)) for p in page],
        "conclusion_form": conclusion_form,
        "can_conclude": period.is_review_round
        and request.user.has_perm("movements.manage", movement),
    })


def _may_see_unit_files(user, movement, organisation) -> bool:
    return (user.has_perm("movements.monitor", movement)
            or user.has_perm("movements.prepare", organisation)
            or movement.supervisions.filter(member=user).exists())


@login_required
def unit_file(request, slug, kind, pk):
    """A unit plan's document or a report's evidence, as a download, to the unit, the office and
    the movement's supervising members."""
    movement = get_movement_for(request.user, slug)
    if kind == "ke-hoach":
        obj = get_object_or_404(UnitPlan, movement=movement, pk=pk)
        organisation, field, name = obj.organisation, obj.file, obj.file_name
    elif kind == "minh-chung":
        obj = get_object_or_404(Evidence.objects.select_related("report__organisation"),
                                report__period__movement=movement, pk=pk)
        organisation, field, name = obj.report.organisation, obj.file, obj.file_name
    else:
        raise Http404
    if not field or not _may_see_unit_files(request.user, movement, organisation):
        raise Http404
    return _download(field, name)


@login_required
def dashboard(request, slug):
    """The office's view of the movement: counts by state (chart and table), late units, and
    the table as Excel (``?kieu=xlsx``)."""
    movement = get_movement_with(request.user, slug, "movements.monitor")
    counts = overview(movement)
    if request.GET.get("kieu") == "xlsx":
        rows = unit_rows(movement, [p.organisation for p in _participants(movement)[:5000]],
                         removed_ids=list(movement.participants.filter(
                             removed_on__isnull=False).values_list("organisation_id", flat=True)))
        content = exports.dashboard_workbook(movement, counts, rows)
        response = HttpResponse(content, content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
        response["Content-Disposition"] = f'attachment; filename="theo-doi-{movement.slug}.xlsx"'
        return response
    page = page_of(request, _participants(movement))
    rows = participant_rows(movement, page)
    if request.GET.get("thieu"):
        rows = [r for r in rows if r.late]
    table = charts.summary_table(counts)
    return render(request, "movements/dashboard.html", {
        "movement": movement, "counts": counts, "table": table,
        "chart": charts.bar_chart(table), "page": page, "rows": rows,
        "can": movement_abilities(request.user, movement),
        "periods": movement.report_periods.all(), "budget_use": budget_use(movement),
    })
