import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.core.feedback import perform
from thidua.core.paging import keyset_page, page_of
from thidua.core.text import fold
from thidua.decisions import (
    actions,
    certificate_batches,
    printing,
    queries,
    verification,
)
from thidua.decisions.access import (
    get_certificate_batch_for,
    get_decision_for,
    get_drafting_movement_for,
)
from thidua.decisions.documents import plan_grounds
from thidua.decisions.forms import AmendmentForm, DecisionForm
from thidua.decisions.models import Award, Decision, replaced
from thidua.decisions.rules import decision_abilities
from thidua.documents import certificates
from thidua.documents.models import CertificateLayout
from thidua.documents.views import download, package_download
from thidua.movements.models import Movement
from thidua.reviews.disclosures import client_address
from thidua.reviews.models import AgendaItem, Meeting


def default_grounds(movement) -> str:
    return plan_grounds(movement, "Theo đề nghị của Hội đồng Thi đua - Khen thưởng.")


@login_required
def decision_list(request):
    decisions = Decision.objects.visible_to(request.user).select_related("award_form", "issuer")
    movements = [m for m in Movement.objects.filter(status=Movement.Status.PUBLISHED)
                 if request.user.has_perm("decisions.draft", m)]
    page = keyset_page(request, decisions)  # newest first, "older/newer": no count
    return render(request, "decisions/list.html", {"decisions": page, "page": page,
                                                   "movements": movements,
                                                   "summary": queries.issued_summary(decisions)})


CANDIDATES_PER_PAGE = 200


@login_required
def decision_create(request, slug):
    movement = get_drafting_movement_for(request.user, slug)
    initial = {"issued_on": timezone.localdate(), "legal_grounds": default_grounds(movement)}
    candidates = queries.eligible_nominees(movement)
    form = DecisionForm(request.POST or None, movement=movement, candidates=candidates,
                        initial=initial)
    # The candidates are shown 200 at a time, searched by name (``?q=``); "everyone the search
    # finds" (``tat_ca``) takes them all without a box per person.
    query = request.GET.get("q", "").strip()
    shown = candidates.filter(name_folded__contains=fold(query)) if query else candidates
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if request.POST.get("tat_ca"):
            data["nominees"] = list(shown.filter(dossier__award_form=data["award_form"]))
        done = perform(request, actions.draft_decision, movement=movement, by=request.user,
                       success=_("Đã lập dự thảo quyết định."), **data)
        if done:
            return redirect("decisions:detail", done.value.pk)
    chosen = {str(pk) for pk in request.POST.getlist("nominees")}
    return render(request, "decisions/form.html", {
        "form": form, "movement": movement, "query": query, "chosen": chosen,
        "candidates": page_of(request, shown, CANDIDATES_PER_PAGE)})


@login_required
def decision_detail(request, pk):
    decision = get_decision_for(request.user, pk)
    # The council's tally for each line goes with it: the chairman reads them before signing.
    tallies = Prefetch("nominee__agenda_items", to_attr="council_items",
                       queryset=AgendaItem.objects.filter(meeting__kind=Meeting.Kind.COUNCIL,
                                                          meeting__state=Meeting.State.CLOSED))
    awards = list(decision.awards.select_related("nominee__dossier__organisation", "replaces",
                                                 "replaced_by__decision").prefetch_related(tallies))
    return render(request, "decisions/detail.html", {
        "decision": decision, "awards": awards,
        "amended_by": decision.amended_by.order_by("issued_on", "pk"),
        "printable": decision.printable_awards().count(),
        "total": sum(a.cash for a in awards),
        "layouts": CertificateLayout.objects.filter(Q(organisation__isnull=True)
                                                    | Q(organisation=decision.issuer)),
        "can": decision_abilities(request.user, decision),
    })


@login_required
def decision_amend(request, pk):
    """Lập quyết định sửa đổi: correct lines of an issued decision by a new decision."""
    original = get_decision_for(request.user, pk)
    if not decision_abilities(request.user, original).amend:
        raise Http404
    # First the lines to correct, then a field set for those only: a decision of hundreds of
    # lines would otherwise post more fields than a request may carry.
    chosen = [int(pk) for pk in request.GET.getlist("dong") if pk.isdigit()]
    current = original.awards.filter(~replaced())
    if not chosen:
        return render(request, "decisions/amend_pick.html", {"original": original,
                                                             "awards": current})
    awards = list(current.filter(pk__in=chosen))
    if not awards:
        raise Http404
    form = AmendmentForm(request.POST or None, decision=original, awards=awards, initial={
        "issued_on": timezone.localdate(), "signer_capacity": original.signer_capacity,
        "signer_position": original.signer_position,
        "legal_grounds": f"Căn cứ Quyết định số {original.number_label} ngày "
                         f"{original.issued_on:%d/%m/%Y} của {original.issuer.name};\n"
                         "Xét đề nghị của bộ phận phụ trách công tác thi đua, khen thưởng."})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = perform(request, actions.draft_amendment, original,
                       corrections=form.corrections(), number=data["number"],
                       issued_on=data["issued_on"], signer=data["signer"],
                       signer_capacity=data["signer_capacity"],
                       signer_position=data["signer_position"],
                       legal_grounds=data["legal_grounds"], by=request.user,
                       success=_("Đã lập dự thảo quyết định sửa đổi."))
        if done:
            return redirect(done.value)
    return render(request, "decisions/amend_form.html", {"form": form, "original": original})


@login_required
@require_POST
def decision_issue(request, pk):
    decision = get_decision_for(request.user, pk)
    perform(request, actions.issue_decision, decision, by=request.user,
            success=_("Đã ban hành quyết định; sổ khen thưởng đã được cập nhật."))
    return redirect("decisions:detail", decision.pk)


@login_required
@require_POST
def decision_delete(request, pk):
    decision = get_decision_for(request.user, pk)
    if perform(request, actions.delete_draft, decision, by=request.user,
               success=_("Đã xóa dự thảo.")):
        return redirect("decisions:list")
    return redirect("decisions:detail", decision.pk)


@login_required
def decision_package(request, pk):
    """Trọn bộ: the decision as PDF and DOCX, its signed scan when filed, and a manifest; a long
    decision's is made by the worker (``documents.views.package_download``)."""
    decision = get_decision_for(request.user, pk)
    return package_download(request, decision.document_kind, decision)


def certificate_texts(request, decision, awards):
    """The certificates' texts for a page request (see ``printing.certificate_texts``)."""
    return printing.certificate_texts(decision, awards, base_url=printing.site_base_url(request))


# A request prints at most this many pages itself (the calibration page, a small decision):
# a longer one would time out on a slow ward connection, so it goes to the task worker.
SYNC_PAGES = 20


def _printable_decision(request, pk):
    """The issued decision whose certificates ``request.user`` may print; 404 for anyone else."""
    decision = get_decision_for(request.user, pk)
    if not request.user.has_perm("decisions.manage", decision):
        raise Http404
    return decision


@login_required
def decision_certificates(request, pk):
    """The calibration page with the first certificate (``thu=1``), or a small decision's
    certificates, as a download; the whole of a larger one is printed in the background."""
    decision = _printable_decision(request, pk)
    if decision.state != Decision.State.ISSUED:
        messages.error(request, _("Chỉ in giấy khen của quyết định đã ban hành."))
        return redirect("decisions:detail", decision.pk)
    layout = _layout(request.GET, decision) or CertificateLayout(name="A4 ngang")
    full = request.GET.get("kieu") == "day-du"
    test = request.GET.get("thu") == "1"
    awards = decision.printable_awards()
    if test:
        awards = awards[:1]
    elif decision.awards.count() > SYNC_PAGES:
        messages.info(request, _("Quyết định có nhiều giấy khen: hãy bấm “In toàn bộ” để hệ thống "
                                 "tạo tệp PDF, trang sẽ báo khi xong."))
        return redirect("decisions:detail", decision.pk)
    pdf = certificates.render(certificate_texts(request, decision, list(awards)), layout,
                              full_design=full, test_page=test)
    return download(pdf, f"giay-khen-{decision.number}-{decision.year}.pdf", "application/pdf")


def _layout(params, decision):
    """The chosen print-on-blank layout of the issuer (or a shared one); None is the default."""
    try:
        pk = int(params.get("mau", "0"))
    except ValueError:
        raise Http404 from None
    if pk:
        return get_object_or_404(CertificateLayout, Q(organisation__isnull=True)
                                 | Q(organisation=decision.issuer), pk=pk)
    return None


@login_required
@require_POST
def certificate_batch_start(request, pk):
    """In toàn bộ: queue every certificate of the decision as one PDF; the batch page follows."""
    decision = _printable_decision(request, pk)
    done = perform(request, certificate_batches.request_certificate_batch, decision,
                   layout=_layout(request.POST, decision),
                   full_design=request.POST.get("kieu") == "day-du",
                   base_url=printing.site_base_url(request), by=request.user)
    if not done:
        return redirect("decisions:detail", decision.pk)
    return redirect("decisions:certificate-batch", decision.pk, done.value.pk)


@login_required
def certificate_batch(request, pk, batch):
    """The batch's page: a progress bar that polls itself (``?phan=progress``) until the PDF is
    ready to download or the batch has failed."""
    batch = get_certificate_batch_for(request.user, pk, batch)
    context = {"decision": batch.decision, "batch": batch}
    if request.GET.get("phan") == "progress":
        return render(request, "decisions/certificate_batch.html#progress", context)
    return render(request, "decisions/certificate_batch.html", context)


@login_required
@require_POST
def certificate_batch_retry(request, pk, batch):
    batch = get_certificate_batch_for(request.user, pk, batch)
    perform(request, certificate_batches.retry_certificate_batch, batch, by=request.user,
            success=_("Đã đưa lượt in vào hàng chờ để in lại."))
    return redirect("decisions:certificate-batch", batch.decision.pk, batch.pk)


@login_required
def certificate_batch_file(request, pk, batch):
    batch = get_certificate_batch_for(request.user, pk, batch)
    if batch.state != batch.State.DONE or not batch.file:
        raise Http404
    decision = batch.decision
    return FileResponse(batch.file.open("rb"), as_attachment=True, content_type="application/pdf",
                        filename=f"giay-khen-{decision.number}-{decision.year}.pdf")


@login_required
def certificate_batch_list(request, pk):
    """The decision's latest print runs, for the print box (loaded by htmx)."""
    decision = _printable_decision(request, pk)
    recent = decision.certificate_batches.select_related("layout")[:5]
    return render(request, "decisions/certificate_batch.html#recent",
                  {"decision": decision, "recent": recent})


# What issuing writes ("2021.003.00042"); anything else is no serial and is not looked up.
SERIAL = re.compile(r"\d{4}\.\d{3,9}\.\d{5,9}")


def verify(request, serial):
    """Xác minh giấy khen, by the serial and the code printed under the QR code (``?ma=``).

    With the right code: name, form, decision number and date — nothing more (DOMAIN §7).
    Without it, or with a wrong one (a certificate printed before codes existed, a serial typed
    by hand or guessed): that the certificate exists, its form and decision, never the name —
    so walking through the serials yields no one. One visitor may look a limited number of times
    (``verification.over_limit``); past it the page answers 429 until the window ends."""
    if verification.over_limit(client_address(request)):
        response = render(request, "decisions/verify.html", {"throttled": True}, status=429)
        response["Retry-After"] = str(getattr(settings, "THIDUA_VERIFY_WINDOW",
                                              verification.WINDOW))
        return response
    award = None
    if SERIAL.fullmatch(serial):
        award = (Award.objects.filter(serial=serial, decision__state=Decision.State.ISSUED)
                 .select_related("decision__award_form", "decision__issuer").first())
    given = request.GET.get("ma", "")
    # A certificate replaced by a correction says so and points to the new serial — still
    # nothing but the decision's number and date.
    replacement = (Award.objects.filter(replaces=award, decision__state=Decision.State.ISSUED)
                   .select_related("decision").first() if award else None)
    # Sent with Cache-Control: no-store, as every page that may name a person (core.middleware).
    return render(request, "decisions/verify.html", {
        "award": award, "serial": serial, "replacement": replacement,
        "full": award is not None and verification.matches(award, given),
        "code_given": bool(given.strip()),
    }, status=200 if award else 404)
