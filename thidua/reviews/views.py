from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.core.feedback import perform
from thidua.core.feedback import report_refusal as _errors
from thidua.movements.models import Movement
from thidua.reviews import actions
from thidua.reviews.access import get_meeting_for, get_public_disclosure
from thidua.reviews.forms import (
    AttendanceForm,
    ConclusionForm,
    CorrectionForm,
    DisclosureForm,
    MeetingForm,
    ObjectionForm,
    RecuseForm,
    VoteForm,
    WrittenVoteForm,
)
from thidua.reviews.models import (
    AgendaItem,
    BallotReceipt,
    Disclosure,
    Meeting,
    Objection,
    Recusal,
)


def _movements_held_by(user, perm):
    return [m for m in Movement.objects.filter(status=Movement.Status.PUBLISHED)
            .select_related("receiving_office", "council_secretariat")
            if user.has_perm(perm, m)]


@login_required
def meeting_list(request):
    meetings = (Meeting.objects.visible_to(request.user).select_related("movement")
                .annotate(item_count=Count("items", distinct=True)))
    return render(request, "reviews/list.html", {
        "meetings": meetings,
        "committee_movements": _movements_held_by(request.user, "reviews.hold_committee"),
        "council_movements": _movements_held_by(request.user, "reviews.hold_council"),
    })


@login_required
def meeting_create(request, slug, kind):
    movement = get_object_or_404(Movement, slug=slug, status=Movement.Status.PUBLISHED)
    if kind not in Meeting.Kind.values:
        raise Http404
    perm = "reviews.hold_committee" if kind == Meeting.Kind.COMMITTEE else "reviews.hold_council"
    if not request.user.has_perm(perm, movement):
        raise Http404
    candidates = (actions.committee_candidates(movement) if kind == Meeting.Kind.COMMITTEE
                  else actions.council_candidates(movement))
    form = MeetingForm(request.POST or None, kind=kind, movement=movement, candidates=candidates,
                       initial={"title": Meeting.Kind(kind).label})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = actions.create_meeting(
                kind=kind, movement=movement, title=data["title"],
                scheduled_at=data["scheduled_at"], place=data["place"], chair=data["chair"],
                secretary=data["secretary"], nominees=data["nominees"],
                members=form.member_roles(), by=request.user)
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Đã lên lịch phiên họp."))
            return redirect("reviews:detail", meeting.pk)
    return render(request, "reviews/meeting_form.html",
                  {"form": form, "movement": movement, "kind": Meeting.Kind(kind)})


def _rows(meeting, user):
    """Each agenda item with what this user may see and do on it — counts, never choices."""
    items = list(meeting.items.select_related("nominee__dossier__organisation",
                                              "nominee__dossier__award_form")
                 .prefetch_related("nominee__objections", "recusals__member__user"))
    voted = dict(BallotReceipt.objects.filter(item__meeting=meeting).values("item_id")
                 .annotate(n=Count("pk")).values_list("item_id", "n"))
    me = next((m for m in meeting.members.all() if m.user_id == user.pk), None)
    mine = set()
    recused = set()
    if me is not None:
        mine = set(BallotReceipt.objects.filter(item__meeting=meeting, member=me)
                   .values_list("item_id", flat=True))
        recused = set(Recusal.objects.filter(item__meeting=meeting, member=me)
                      .values_list("item_id", flat=True))
    flagged = actions.conflicts(meeting) if meeting.kind == Meeting.Kind.COUNCIL else {}
    return [{
        "item": item,
        "voted": voted.get(item.pk, 0),
        "i_voted": item.pk in mine,
        "i_recused": item.pk in recused,
        "conflict": me is not None and me.pk in flagged.get(item.pk, set()),
        "flagged": len(flagged.get(item.pk, ())),
    } for item in items], me


def _context(request, meeting):
    user = request.user
    rows, me = _rows(meeting, user)
    members = list(meeting.members.select_related("user"))
    runs = user.has_perm("reviews.run_meeting", meeting)
    return {
        "meeting": meeting,
        "rows": rows,
        "me": me,
        "members": members,
        "present": sum(1 for m in members if m.present),
        "runs": runs,
        "can_close": meeting.state == Meeting.State.OPEN
        and user.has_perm("reviews.close_meeting", meeting),
        "can_vote": meeting.kind == Meeting.Kind.COUNCIL and meeting.state == Meeting.State.OPEN
        and me is not None and me.present,
        "absent_members": [m for m in members if not m.present],
        "choices": VoteForm.base_fields["choice"].choices,
        "conclusion_form": ConclusionForm(),
        "quorum_percent": meeting.movement.rule_set.quorum_percent,
    }


@login_required
def meeting_detail(request, pk):
    meeting = get_meeting_for(request.user, pk)
    return render(request, "reviews/detail.html", _context(request, meeting))


def _back(request, meeting, item=None):
    if request.htmx and item is not None:
        context = _context(request, Meeting.objects.get(pk=meeting.pk))
        row = next(r for r in context["rows"] if r["item"].pk == item.pk)
        return render(request, "reviews/_item.html", {**context, "row": row})
    return redirect("reviews:detail", meeting.pk)


def _item(meeting, item_pk) -> AgendaItem:
    try:
        return get_object_or_404(meeting.items.select_related("nominee"), pk=int(item_pk))
    except (TypeError, ValueError):
        raise Http404 from None


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
    perform(request, actions.adjourn_meeting, meeting, reason=request.POST.get("reason", ""),
            by=request.user,
            success=_("Đã hoãn phiên họp; những người, tập thể trong chương trình "
                      "có thể được đưa vào phiên họp khác."))
    return redirect("reviews:detail", meeting.pk)


@login_required
@require_POST
def conclude(request, pk, item_pk):
    meeting = get_meeting_for(request.user, pk)
    item = _item(meeting, item_pk)
    form = ConclusionForm(request.POST)
    if form.is_valid():
        perform(request, actions.set_conclusion, item, by=request.user, **form.cleaned_data)
    else:
        messages.error(request, _("Hãy chọn kết luận."))
    return _back(request, meeting, item)


@login_required
@require_POST
def vote(request, pk, item_pk):
    meeting = get_meeting_for(request.user, pk)
    item = _item(meeting, item_pk)
    form = VoteForm(request.POST)
    if form.is_valid():
        perform(request, actions.cast_vote, item, choice=form.cleaned_data["choice"], by=request.user)
    else:
        messages.error(request, _("Phiếu không hợp lệ."))
    return _back(request, meeting, item)


@login_required
@require_POST
def written_vote(request, pk, item_pk):
    meeting = get_meeting_for(request.user, pk)
    item = _item(meeting, item_pk)
    form = WrittenVoteForm(request.POST)
    if form.is_valid():
        member = get_object_or_404(meeting.members, pk=form.cleaned_data["member"])
        try:
            actions.record_written_vote(item, member=member, choice=form.cleaned_data["choice"],
                                        by=request.user)
            messages.success(request, _("Đã ghi nhận phiếu bằng văn bản của %(member)s.")
                             % {"member": member.user})
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
    else:
        messages.error(request, _("Phiếu không hợp lệ."))
    return redirect("reviews:detail", meeting.pk)


@login_required
@require_POST
def recuse(request, pk, item_pk):
    meeting = get_meeting_for(request.user, pk)
    item = _item(meeting, item_pk)
    form = RecuseForm(request.POST)
    me = meeting.members.filter(user=request.user).first()
    if me is None:
        raise Http404
    if form.is_valid():
        perform(request, actions.recuse, item, member=me, reason=form.cleaned_data["reason"], by=request.user)
    else:
        messages.error(request, _("Hãy ghi lý do không tham gia biểu quyết."))
    return _back(request, meeting, item)


@login_required
@require_POST
def objection_handling(request, pk, objection_pk):
    meeting = get_meeting_for(request.user, pk)
    try:
        objection = get_object_or_404(Objection, pk=int(objection_pk),
                                      nominee__agenda_items__meeting=meeting)
    except ValueError:
        raise Http404 from None
    perform(request, actions.record_objection_handling, objection, meeting=meeting,
            handling=request.POST.get("handling", ""), by=request.user,
            success=_("Đã ghi kết quả xử lý ý kiến."))
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
        if request.method == "POST" and form.is_valid():
            try:
                actions.correct_minutes(meeting, by=request.user, **form.cleaned_data)
                messages.success(request, _("Đã lưu bản điều chỉnh biên bản."))
                return redirect("reviews:minutes", meeting.pk)
            except (ValidationError, PermissionDenied) as exc:
                _errors(request, exc)
    return render(request, "reviews/minutes.html", {
        "meeting": meeting, "minutes": revisions[0], "revisions": revisions, "form": form})


@login_required
def disclosure_create(request, slug):
    movement = get_object_or_404(Movement, slug=slug, status=Movement.Status.PUBLISHED)
    if not request.user.has_perm("reviews.hold_council", movement):
        raise Http404
    form = DisclosureForm(request.POST or None, candidates=actions.council_candidates(movement),
                          initial={"starts_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            disclosure = actions.publish_disclosure(movement=movement, by=request.user,
                                                    **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Đã công khai danh sách."))
            return redirect("public-disclosure", disclosure.pk)
    return render(request, "reviews/disclosure_form.html", {"form": form, "movement": movement})


def public_disclosures(request):
    """Danh sách công khai: anyone, no sign-in, light for phones."""
    today = timezone.localdate()
    disclosures = (Disclosure.objects.filter(starts_on__lte=today)
                   .select_related("movement").annotate(count=Count("nominees")))
    return render(request, "reviews/public_list.html", {"disclosures": disclosures,
                                                        "today": today})


def public_disclosure(request, pk):
    disclosure = get_public_disclosure(pk)
    nominees = list(disclosure.nominees.select_related("dossier__organisation",
                                                       "dossier__award_form"))
    open_now = disclosure.starts_on <= timezone.localdate() <= disclosure.ends_on
    form = ObjectionForm(request.POST or None)
    if request.method == "POST":
        if not open_now:
            messages.error(request, _("Thời gian nhận ý kiến về danh sách này đã kết thúc."))
        elif form.is_valid() and not form.cleaned_data["website"]:
            nominee = next((n for n in nominees if n.pk == form.cleaned_data["nominee"]), None)
            if nominee is None:
                raise Http404
            try:
                actions.submit_objection(disclosure, nominee=nominee,
                                         name=form.cleaned_data["name"],
                                         contact=form.cleaned_data["contact"],
                                         text=form.cleaned_data["text"],
                                         source=actions.objection_source(
                                             actions.client_address(request)))
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, _("Cảm ơn bạn. Ý kiến đã được gửi tới Hội đồng Thi đua "
                                            "- Khen thưởng."))
                return redirect("public-disclosure", disclosure.pk)
        elif form.is_valid():
            return redirect("public-disclosure", disclosure.pk)
    return render(request, "reviews/public_disclosure.html", {
        "disclosure": disclosure, "nominees": nominees, "form": form, "open_now": open_now})
