"""Meeting pages: scheduling, the meeting itself (attendance, conclusions, votes), minutes, and
the public disclosure pages. Every write runs through :func:`thidua.core.feedback.perform`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.core.feedback import perform
from thidua.core.paging import keyset_page, page_of
from thidua.nominations.models import AttachmentVersion
from thidua.reviews import actions, disclosures, limits, queries
from thidua.reviews.access import (
    get_held_movement_for,
    get_item,
    get_meeting_for,
    get_member,
    get_objection,
    get_public_disclosure,
    get_seat_for,
    was_adjourned,
)
from thidua.reviews.forms import (
    AdjournForm,
    AttendanceForm,
    ConclusionForm,
    CorrectionForm,
    DisclosureForm,
    HandlingForm,
    MeetingForm,
    ObjectionForm,
    RecuseForm,
    RescheduleForm,
    VoteForm,
    WrittenVoteForm,
)
from thidua.reviews.models import Meeting
from thidua.reviews.rules import meeting_abilities

HOLD = {Meeting.Kind.COMMITTEE: "reviews.hold_committee", Meeting.Kind.COUNCIL: "reviews.hold_council"}


@login_required
def meeting_list(request):
    page = keyset_page(request, queries.meetings_for(request.user))
    return render(request, "reviews/list.html", {
        "meetings": page, "page": page,
        "committee_movements": queries.movements_held_by(request.user, HOLD[Meeting.Kind.COMMITTEE]),
        "council_movements": queries.movements_held_by(request.user, HOLD[Meeting.Kind.COUNCIL]),
    })


@login_required
def meeting_create(request, slug, kind):
    if kind not in HOLD:
        raise Http404
    movement = get_held_movement_for(request.user, slug, HOLD[kind])
    form = MeetingForm(request.POST or None, kind=kind, movement=movement,
                       candidates=queries.candidates(movement, kind),
                       initial={"title": Meeting.Kind(kind).label})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = perform(request, actions.create_meeting,
                       kind=kind, movement=movement, title=data["title"],
                       scheduled_at=data["scheduled_at"], place=data["place"], chair=data["chair"],
                       secretary=data["secretary"], nominees=data["nominees"],
                       members=form.member_roles(), by=request.user,
                       success=_("Đã lên lịch phiên họp."))
        if done:
            return redirect("reviews:detail", done.value.pk)
    return render(request, "reviews/meeting_form.html",
                  {"form": form, "movement": movement, "kind": Meeting.Kind(kind)})


def _context(request, meeting):
    me = queries.member_of(meeting, request.user)
    members = list(meeting.members.select_related("user"))
    quorum = queries.quorum_of(meeting, members) if meeting.kind == Meeting.Kind.COUNCIL else None
    return {
        "meeting": meeting,
        "rows": queries.agenda_rows(meeting, me),
        "me": me,
        "members": members,
        "present": sum(1 for m in members if m.present),
        "can": meeting_abilities(request.user, meeting, me, quorate=quorum is None or quorum.met),
        "absent_members": [m for m in members if not m.present],
        "choices": VoteForm.base_fields["choice"].choices,
        "conclusion_form": ConclusionForm(),
        # Adjourned meetings are closed too; the page says "Đã hoãn", not "Đã kết thúc".
        "adjourned": meeting.state == Meeting.State.CLOSED and was_adjourned(meeting),
        "reschedule_form": RescheduleForm(initial={"scheduled_at": meeting.scheduled_at},
                                          auto_id="doi-lich-%s"),
        "quorum": quorum,
        "recusals_leave_base": meeting.movement.rule_set.recusals_leave_base,
        "recusals_unverified": meeting.movement.rule_set.is_unverified("recusals_leave_base"),
        # The hand-written inputs of the page take the same limits as the forms.
        "limits": limits,
    }


@login_required
def meeting_detail(request, pk):
    meeting = get_meeting_for(request.user, pk)
    return render(request, "reviews/detail.html", _context(request, meeting))


def _refuse(request, form):
    """A hand-written input of the meeting page was refused: its messages, with its label."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def _back(request, meeting, item=None):
    if request.htmx and item is not None:
        context = _context(request, get_meeting_for(request.user, meeting.pk))
        row = next(r for r in context["rows"] if r["item"].pk == item.pk)
        return render(request, "reviews/_item.html", {**context, "row": row})
    return redirect("reviews:detail", meeting.pk)


@login_required
@require_POST
def attendance(request, pk):
    meeting = get_meeting_for(request.user, pk)
    form = AttendanceForm(request.POST, meeting=meeting)
    if form.is_valid():
        perform(request, actions.set_attendance, meeting,
                present_user_ids={int(u) for u in form.cleaned_data["present"]},
                by=request.user, success=_("Đã lưu điểm danh."))
    return redirect("reviews:detail", meeting.pk)


@login_required
@require_POST
def meeting_open(request, pk):
    meeting = get_meeting_for(request.user, pk)
    perform(request, actions.open_meeting, meeting, by=request.user,
            success=_("Đã khai mạc phiên họp."))
    return redirect("reviews:detail", meeting.pk)


@login_required
@require_POST
def meeting_close(request, pk):
    meeting = get_meeting_for(request.user, pk)
    perform(request, actions.close_meeting, meeting, by=request.user,
            success=_("Phiên họp đã kết thúc; kết quả đã được tính và biên bản đã "
                      "được khóa."))
    return redirect("reviews:detail", meeting.pk)


@login_required
@require_POST
def meeting_adjourn(request, pk):
    meeting = get_meeting_for(request.user, pk)
    form = AdjournForm(request.POST)
    if form.is_valid():
        perform(request, actions.adjourn_meeting, meeting, reason=form.cleaned_data["reason"],
                by=request.user,
                success=_("Đã hoãn phiên họp; những người, tập thể trong chương trình "
                          "có thể được đưa vào phiên họp khác."))
    else:
        _refuse(request, form)
    return redirect("reviews:detail", meeting.pk)


@login_required
@require_POST
def meeting_reschedule(request, pk):
    """Dời lịch: a planned meeting moves to another time; it stays planned (not adjourned)."""
    meeting = get_meeting_for(request.user, pk)
    form = RescheduleForm(request.POST)
    if form.is_valid():
        perform(request, actions.reschedule_meeting, meeting, by=request.user,
                success=_("Đã dời lịch phiên họp; thành viên đã được báo lịch mới."),
                **form.cleaned_data)
    else:
        _refuse(request, form)
    return redirect("reviews:detail", meeting.pk)


@login_required
@require_POST
def conclude(request, pk, item_pk):
    meeting = get_meeting_for(request.user, pk)
    item = get_item(meeting, item_pk)
    form = ConclusionForm(request.POST)
    if form.is_valid():
        perform(request, actions.set_conclusion, item, by=request.user, **form.cleaned_data)
    elif "conclusion" in form.errors:
        messages.error(request, _("Hãy chọn kết luận."))
    else:
        _refuse(request, form)
    return _back(request, meeting, item)


@login_required
@require_POST
def vote(request, pk, item_pk):
    meeting = get_meeting_for(request.user, pk)
    item = get_item(meeting, item_pk)
    form = VoteForm(request.POST)
    if form.is_valid():
        perform(request, actions.cast_vote, item, choice=form.cleaned_data["choice"],
                by=request.user)
    else:
        messages.error(request, _("Phiếu không hợp lệ."))
    return _back(request, meeting, item)


@login_required
@require_POST
def written_vote(request, pk, item_pk):
    meeting = get_meeting_for(request.user, pk)
    item = get_item(meeting, item_pk)
    form = WrittenVoteForm(request.POST)
    if form.is_valid():
        member = get_member(meeting, form.cleaned_data["member"])
        perform(request, actions.record_written_vote, item, member=member,
                choice=form.cleaned_data["choice"], by=request.user,
                success=_("Đã ghi nhận phiếu bằng văn bản của %(member)s.")
                % {"member": member.user})
    else:
        messages.error(request, _("Phiếu không hợp lệ."))
    return redirect("reviews:detail", meeting.pk)


@login_required
@require_POST
def recuse(request, pk, item_pk):
    meeting = get_meeting_for(request.user, pk)
    item = get_item(meeting, item_pk)
    form = RecuseForm(request.POST)
    me = get_seat_for(request.user, meeting)
    if form.is_valid():
        perform(request, actions.recuse, item, member=me, reason=form.cleaned_data["reason"],
                by=request.user)
    elif form["reason"].value():
        _refuse(request, form)
    else:
        messages.error(request, _("Hãy ghi lý do không tham gia biểu quyết."))
    return _back(request, meeting, item)


@login_required
@require_POST
def objection_handling(request, pk, objection_pk):
    meeting = get_meeting_for(request.user, pk)
    objection = get_objection(meeting, objection_pk)
    form = HandlingForm(request.POST)
    if form.is_valid():
        perform(request, disclosures.record_objection_handling, objection, meeting=meeting,
                handling=form.cleaned_data["handling"], by=request.user,
                success=_("Đã ghi kết quả xử lý ý kiến."))
    else:
        _refuse(request, form)
    return redirect("reviews:detail", meeting.pk)


@login_required
def minutes(request, pk):
    meeting = get_meeting_for(request.user, pk)
    revisions = list(meeting.minutes.select_related("created_by"))
    if not revisions:
        raise Http404
    form = None
    if request.user.has_perm("reviews.run_meeting", meeting):
        form = CorrectionForm(request.POST or None, initial={"notes": revisions[0].data["notes"]})
        if request.method == "POST" and form.is_valid() and perform(
                request, actions.correct_minutes, meeting, by=request.user,
                success=_("Đã lưu bản điều chỉnh biên bản."), **form.cleaned_data):
            return redirect("reviews:minutes", meeting.pk)
    return render(request, "reviews/minutes.html", {
        "meeting": meeting, "minutes": revisions[0], "revisions": revisions, "form": form})


@login_required
def disclosure_create(request, slug):
    movement = get_held_movement_for(request.user, slug, HOLD[Meeting.Kind.COUNCIL])
    form = DisclosureForm(request.POST or None, candidates=queries.council_candidates(movement),
                          initial={"starts_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        done = perform(request, disclosures.publish_disclosure, movement=movement,
                       by=request.user, success=_("Đã công khai danh sách."), **form.cleaned_data)
        if done:
            return redirect("public-disclosure", done.value.pk)
    return render(request, "reviews/disclosure_form.html", {"form": form, "movement": movement})


DISCLOSED_PER_PAGE = 100


def public_disclosures(request):
    """Danh sách công khai: anyone, no sign-in, light for phones."""
    today = timezone.localdate()
    page = keyset_page(request, queries.public_disclosures(today))  # newest first, no count
    return render(request, "reviews/public_list.html", {
        "disclosures": page, "page": page, "today": today})


def public_disclosure(request, pk):
    disclosure = get_public_disclosure(pk)
    # A list of thousands is read a hundred at a time; the objection form names the one person
    # chosen from the list (``?nguoi=``), never a select of every name.
    nominees = page_of(request, queries.disclosed_nominees(disclosure), DISCLOSED_PER_PAGE)
    open_now = queries.takes_objections(disclosure)
    chosen = queries.disclosed_nominee(disclosure, request.POST.get("nominee")
                                       or request.GET.get("nguoi"))
    form = ObjectionForm(request.POST or None,
                         initial={"nominee": chosen.pk} if chosen else None)
    if request.method == "POST":
        if not open_now:
            messages.error(request, _("Thời gian nhận ý kiến về danh sách này đã kết thúc."))
        elif form.is_valid() and not form.cleaned_data["website"]:
            nominee = chosen
            if nominee is None:
                raise Http404
            source = disclosures.objection_source(disclosures.client_address(request))
            if perform(request, disclosures.submit_objection, disclosure, nominee=nominee,
                       name=form.cleaned_data["name"], contact=form.cleaned_data["contact"],
                       text=form.cleaned_data["text"], source=source,
                       success=_("Cảm ơn bạn. Ý kiến đã được gửi tới Hội đồng Thi đua "
                                 "- Khen thưởng.")):
                return redirect("public-disclosure", disclosure.pk)
        elif form.is_valid():
            # The hidden "website" field is filled only by robots: thank them and keep nothing.
            return redirect("public-disclosure", disclosure.pk)
    return render(request, "reviews/public_disclosure.html", {
        "disclosure": disclosure, "nominees": nominees, "page": nominees, "chosen": chosen,
        "total": queries.disclosed_count(disclosure), "form": form, "open_now": open_now})


@login_required
def item_paper(request, pk, item_pk, version_pk):
    """A nominee's achievement report (or summary) for whoever sees the meeting: members read it
    from the agenda before they vote, without access to the unit's whole dossier."""
    meeting = get_meeting_for(request.user, pk)
    item = get_object_or_404(meeting.items, pk=item_pk)
    version = get_object_or_404(AttachmentVersion, pk=version_pk,
                                attachment__nominee=item.nominee_id,
                                attachment__document_type__in=["achievement_report",
                                                               "achievement_summary"])
    try:
        handle = version.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    # Always a download, never rendered inline: an uploaded file must not run in our origin.
    return FileResponse(handle, as_attachment=True, filename=version.original_name,
                        content_type=version.content_type)

