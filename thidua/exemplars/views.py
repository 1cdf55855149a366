"""Pages of exemplars: the public portal (no sign-in) and the officers' and editors' pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.core.feedback import perform
from thidua.core.paging import page_of
from thidua.exemplars import actions, queries, spam
from thidua.exemplars.access import (
    get_exemplar_for,
    get_photo_for,
    get_public_exemplar,
    get_suggestion_for,
)
from thidua.exemplars.forms import (
    AcceptSuggestionForm,
    ConsentForm,
    ExemplarForm,
    MovementChoiceForm,
    NewExemplarForm,
    PhotoForm,
    ReasonForm,
    SuggestionForm,
)
from thidua.exemplars.models import Exemplar, ExemplarKind, Suggestion
from thidua.exemplars.rules import exemplar_abilities
from thidua.movements.models import ContentArea, Movement
from thidua.orgs.models import Organisation

PUBLIC_PAGE_SIZE = 12


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- the public portal -------------------------------------------------------------------------


def public_list(request):
    """Exemplars by content area (?noi-dung=), unit (?don-vi=) and kind (?loai=), paged."""
    movement = area = unit = None
    if slug := request.GET.get("phong-trao"):
        movement = Movement.objects.visible_to(request.user).filter(slug=slug).first()
    if pk := _int(request.GET.get("noi-dung")):
        area = ContentArea.objects.select_related("movement").filter(
            pk=pk, movement__in=Movement.objects.visible_to(request.user)).first()
    if code := request.GET.get("don-vi"):
        unit = Organisation.objects.filter(code=code).first()
    kind = request.GET.get("loai") if request.GET.get("loai") in ExemplarKind.values else ""
    qs = queries.public_exemplars(movement=movement, content_area=area, organisation=unit,
                                  kind=kind)
    page = page_of(request, qs, size=PUBLIC_PAGE_SIZE)
    movements = Movement.objects.visible_to(request.user).exclude(status=Movement.Status.DRAFT)
    return render(request, "exemplars/public_list.html", {
        "page": page, "area": area, "unit": unit, "kind": kind, "movement": movement,
        "kinds": ExemplarKind.choices,
        "areas": ContentArea.objects.filter(movement__in=movements).select_related("movement"),
        "units": queries.units_with_public_exemplars(),
    })


def public_detail(request, pk):
    exemplar = get_public_exemplar(pk)
    return render(request, "exemplars/public_detail.html", {
        "exemplar": exemplar, "photos": list(exemplar.photos.all()),
        "share_url": request.build_absolute_uri(exemplar.get_absolute_url()),
    })


def photo(request, pk):
    """A stored photo, to whoever may see its exemplar (everyone once it is public)."""
    item = get_photo_for(request.user, pk)
    try:
        handle = item.image.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    return response


def suggest(request):
    """A citizen suggests an exemplar: no account, a contact, a small sum, a hidden trap."""
    movements = Movement.objects.filter(status=Movement.Status.PUBLISHED).order_by("-launched_on")
    movement = movements.filter(slug=request.GET.get("phong-trao") or request.POST.get(
        "phong-trao")).first() or movements.first()
    if movement is None:
        raise Http404
    form = SuggestionForm(request.POST or None)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST":
        if form.is_spam:
            # Said to be received, so a script learns nothing; nothing is kept.
            return redirect("exemplars:suggest-done")
        if form.is_valid():
            data = form.cleaned_data
            source = spam.source_of(spam.client_address(request))
            done = perform(request, actions.submit_suggestion, movement=movement,
                           contact=data["contact"], about=data["about"], text=data["text"],
                           name=data["name"], place=data["place"], source=source)
            if done:
                return redirect("exemplars:suggest-done")
            if str(actions.TOO_MANY) in done.refusal:
                status = 429
    return render(request, "exemplars/suggest.html", {"form": form, "movement": movement},
                  status=status)


def suggest_done(request):
    return render(request, "exemplars/suggest_done.html")


# --- officers and editors ----------------------------------------------------------------------


@login_required
def manage_list(request):
    qs = queries.managed_exemplars(request.user)
    state = request.GET.get("trang-thai")
    if state in Exemplar.State.values:
        qs = qs.filter(state=state)
    return render(request, "exemplars/manage_list.html", {
        "page": page_of(request, qs), "state": state, "states": Exemplar.State.choices,
        "movement_form": MovementChoiceForm(),
        "queue_size": queries.suggestion_queue(request.user).count(),
    })


@login_required
def new(request):
    movement = get_object_or_404(Movement.objects.filter(status=Movement.Status.PUBLISHED),
                                 slug=request.GET.get("phong-trao")
                                 or request.POST.get("phong-trao") or "")
    form = NewExemplarForm(request.POST or None, user=request.user, movement=movement)
    if not form.fields["organisation"].queryset.exists():
        raise Http404
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = data.pop("organisation")
        done = perform(request, actions.record_exemplar, movement=movement,
                       organisation=organisation, by=request.user,
                       success=_("Đã ghi nhận. Hãy thêm ảnh và ghi nhận sự đồng ý nếu bài nêu "
                                 "người cụ thể."), **data)
        if done:
            return redirect("exemplars:manage-detail", done.value.pk)
    return render(request, "exemplars/form.html", {"form": form, "movement": movement})


@login_required
def manage_detail(request, pk):
    exemplar = get_exemplar_for(request.user, pk)
    return render(request, "exemplars/manage_detail.html", {
        "exemplar": exemplar, "photos": list(exemplar.photos.all()),
        "can": exemplar_abilities(request.user, exemplar),
        "photo_form": PhotoForm(), "consent_form": ConsentForm(), "reason_form": ReasonForm(),
    })


@login_required
def edit(request, pk):
    exemplar = get_exemplar_for(request.user, pk, "edit")
    form = ExemplarForm(request.POST or None, movement=exemplar.movement,
                        initial=ExemplarForm.initial_from(exemplar))
    if request.method == "POST" and form.is_valid() and perform(
            request, actions.update_exemplar, exemplar, by=request.user,
            seen_state=request.POST.get("seen"), success=_("Đã lưu."), **form.cleaned_data):
        return redirect("exemplars:manage-detail", exemplar.pk)
    return render(request, "exemplars/form.html", {"form": form, "movement": exemplar.movement,
                                                   "exemplar": exemplar})


@login_required
@require_POST
def add_photo(request, pk):
    exemplar = get_exemplar_for(request.user, pk, "edit")
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        perform(request, actions.add_photo, exemplar, form.cleaned_data["image"],
                alt_text=form.cleaned_data["alt_text"], by=request.user, success=_("Đã thêm ảnh."))
    else:
        for errors in form.errors.values():
            for error in errors:
                perform(request, _refuse, error)
    return redirect("exemplars:manage-detail", exemplar.pk)


def _refuse(message):
    raise ValidationError(message)


@login_required
@require_POST
def remove_photo(request, pk, photo_pk):
    exemplar = get_exemplar_for(request.user, pk, "edit")
    item = get_object_or_404(exemplar.photos, pk=photo_pk)
    perform(request, actions.remove_photo, item, by=request.user, success=_("Đã xóa ảnh."))
    return redirect("exemplars:manage-detail", exemplar.pk)


@login_required
@require_POST
def consent(request, pk):
    exemplar = get_exemplar_for(request.user, pk, "edit")
    perform(request, actions.record_consent, exemplar, note=request.POST.get("note", ""),
            by=request.user, success=_("Đã ghi nhận sự đồng ý."))
    return redirect("exemplars:manage-detail", exemplar.pk)


@login_required
@require_POST
def withdraw_consent(request, pk):
    exemplar = get_exemplar_for(request.user, pk, "edit")
    perform(request, actions.withdraw_consent, exemplar, reason=request.POST.get("reason", ""),
            by=request.user, success=_("Đã ghi nhận việc rút lại sự đồng ý."))
    return redirect("exemplars:manage-detail", exemplar.pk)


MOVES = {
    "gui": (actions.submit_exemplar, False, _("Đã gửi bài để biên tập.")),
    "dang": (actions.publish_exemplar, False, _("Đã đăng lên trang công khai.")),
    "tra-lai": (actions.return_exemplar, True, _("Đã trả lại bài để sửa.")),
    "khong-dang": (actions.reject_exemplar, True, _("Đã ghi nhận: không đăng bài này.")),
    "go-bai": (actions.unpublish_exemplar, True, _("Đã gỡ bài khỏi trang công khai; bài vẫn được "
                                                   "lưu.")),
}


@login_required
@require_POST
def move(request, pk, step):
    if step not in MOVES:
        raise Http404
    exemplar = get_exemplar_for(request.user, pk)
    action, needs_reason, success = MOVES[step]
    extra = {"reason": request.POST.get("reason", "")} if needs_reason else {}
    perform(request, action, exemplar, by=request.user, seen_state=request.POST.get("seen"),
            success=success, **extra)
    return redirect("exemplars:manage-detail", exemplar.pk)


@login_required
def suggestion_queue(request):
    state = request.GET.get("trang-thai")
    state = state if state in Suggestion.State.values else Suggestion.State.NEW
    qs = queries.suggestion_queue(request.user, state)
    return render(request, "exemplars/suggestion_queue.html", {
        "page": page_of(request, qs), "state": state, "states": Suggestion.State.choices})


@login_required
def suggestion_detail(request, pk):
    suggestion = get_suggestion_for(request.user, pk)
    form = AcceptSuggestionForm(request.POST or None, movement=suggestion.movement)
    if request.method == "POST" and "tiep-nhan" in request.POST and form.is_valid():
        done = perform(request, actions.accept_suggestion, suggestion, by=request.user,
                       organisation=form.cleaned_data["organisation"],
                       kind=form.cleaned_data["kind"],
                       success=_("Đã tạo bài viết nháp từ đề xuất."))
        if done:
            return redirect("exemplars:manage-detail", done.value.pk)
    if request.method == "POST" and "khong-dung" in request.POST and perform(
            request, actions.dismiss_suggestion, suggestion, note=request.POST.get("note", ""),
            by=request.user, success=_("Đã ghi nhận: không sử dụng đề xuất.")):
        return redirect("exemplars:suggestions")
    return render(request, "exemplars/suggestion_detail.html",
                  {"suggestion": suggestion, "form": form})


@login_required
def nominate(request, pk):
    """To the "add nominee" form of a dossier, prefilled from this exemplar (the dossier's page
    checks who may add to it)."""
    exemplar = get_exemplar_for(request.user, pk, "edit")
    dossier = _int(request.GET.get("ho-so"))
    if dossier is None:
        messages.error(request, _("Hãy nhập mã hồ sơ (một số)."))
        return redirect("exemplars:manage-detail", exemplar.pk)
    return redirect(f"{reverse('nominations:nominee-add', args=[dossier])}?guong={exemplar.pk}")
