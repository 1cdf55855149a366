from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.core.feedback import perform
from thidua.core.feedback import report_refusal as _errors
from thidua.core.text import nfc
from thidua.decisions import actions
from thidua.decisions.access import get_decision_for
from thidua.decisions.forms import DecisionForm
from thidua.decisions.models import Award, Decision
from thidua.documents import certificates, packages
from thidua.documents.models import CertificateLayout
from thidua.documents.render import decision_docx, decision_pdf
from thidua.documents.views import download
from thidua.movements.models import Movement
from thidua.nominations.models import Nominee


def default_grounds(movement) -> str:
    """The usual grounds of a city decision, from the movement's legal basis (rule set)."""
    return "\n".join([
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015;",
        f"Căn cứ {movement.rule_set.legal_basis.rstrip('.')};",
        f"Căn cứ {movement.document_kind} số {movement.number} ngày "
        f"{movement.issued_on:%d/%m/%Y} của {movement.issuer.name};",
        "Theo đề nghị của Hội đồng Thi đua - Khen thưởng.",
    ])


@login_required
def decision_list(request):
    decisions = Decision.objects.visible_to(request.user).select_related("award_form", "issuer")
    movements = [m for m in Movement.objects.filter(status=Movement.Status.PUBLISHED)
                 if request.user.has_perm("decisions.draft", m)]
    return render(request, "decisions/list.html", {"decisions": decisions,
                                                   "movements": movements})


@login_required
def decision_create(request, slug):
    movement = get_object_or_404(Movement, slug=slug, status=Movement.Status.PUBLISHED)
    if not request.user.has_perm("decisions.draft", movement):
        raise Http404
    candidates = (Nominee.objects.filter(dossier__movement=movement,
                                         council_outcome="approved_local", awards__isnull=True)
                  .select_related("dossier__organisation", "dossier__award_form"))
    initial = {"issued_on": timezone.localdate(), "legal_grounds": default_grounds(movement)}
    form = DecisionForm(request.POST or None, movement=movement, candidates=candidates,
                        initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            decision = actions.draft_decision(movement=movement, by=request.user,
                                              **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Đã lập dự thảo quyết định."))
            return redirect("decisions:detail", decision.pk)
    return render(request, "decisions/form.html", {"form": form, "movement": movement})


@login_required
def decision_detail(request, pk):
    decision = get_decision_for(request.user, pk)
    awards = list(decision.awards.select_related("nominee__dossier__organisation"))
    return render(request, "decisions/detail.html", {
        "decision": decision, "awards": awards,
        "total": sum(a.cash for a in awards),
        "can_issue": decision.state == Decision.State.DRAFT
        and request.user.has_perm("decisions.issue", decision),
        "can_delete": decision.state == Decision.State.DRAFT
        and request.user.has_perm("decisions.draft", decision.movement),
        "layouts": CertificateLayout.objects.filter(Q(organisation__isnull=True)
                                                    | Q(organisation=decision.issuer)),
    })


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
    try:
        actions.delete_draft(decision, by=request.user)
        messages.success(request, _("Đã xóa dự thảo."))
        return redirect("decisions:list")
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
        return redirect("decisions:detail", decision.pk)


@login_required
def decision_package(request, pk):
    """Trọn bộ: the decision as PDF and DOCX, its signed scan when filed, and a manifest."""
    decision = get_decision_for(request.user, pk)
    content = packages.decision_package(decision, decision_pdf(decision), decision_docx(decision))
    return download(content, f"quyet-dinh-{decision.number}-{decision.year}.zip",
                    "application/zip")


def certificate_texts(request, decision, awards):
    d = decision.issued_on
    issuer = nfc(decision.issuer.name_on(d)).upper()
    return [certificates.CertificateText(
        issuer_title=f"CHỦ TỊCH {issuer}",
        name=a.name, unit=" – ".join(p for p in [a.position, a.unit_name] if p),
        citation=a.citation,
        decision=_("Quyết định số %(n)s ngày %(d)s") % {"n": decision.number_label,
                                                       "d": d.strftime("%d/%m/%Y")},
        serial=_("Số vào sổ: %(s)s") % {"s": a.serial or "—"},
        place_date=f"{decision.place}, ngày {d.day:02d} tháng {d.month:02d} năm {d.year}",
        signer_title=f"{decision.signer_capacity}\n{decision.signer_title}",
        signer_name=str(decision.signer),
        verify_url=request.build_absolute_uri(reverse("verify", args=[a.serial or "-"])),
    ) for a in awards]


@login_required
def decision_certificates(request, pk):
    """All the decision's certificates as one PDF, on blanks or as a full design."""
    decision = get_decision_for(request.user, pk)
    if decision.state != Decision.State.ISSUED:
        messages.error(request, _("Chỉ in giấy khen của quyết định đã ban hành."))
        return redirect("decisions:detail", decision.pk)
    layout = _layout(request, decision)
    full = request.GET.get("kieu") == "day-du"
    test = request.GET.get("thu") == "1"
    awards = list(decision.awards.all())[:1] if test else list(decision.awards.all())
    pdf = certificates.render(certificate_texts(request, decision, awards), layout,
                              full_design=full, test_page=test)
    return download(pdf, f"giay-khen-{decision.number}-{decision.year}.pdf", "application/pdf")


def _layout(request, decision):
    try:
        pk = int(request.GET.get("mau", "0"))
    except ValueError:
        raise Http404 from None
    if pk:
        return get_object_or_404(CertificateLayout, Q(organisation__isnull=True)
                                 | Q(organisation=decision.issuer), pk=pk)
    return CertificateLayout(name="A4 ngang")


def verify(request, serial):
    """Xác minh giấy khen: name, form, decision number and date — nothing more (DOMAIN §7)."""
    award = Award.objects.filter(serial=serial, decision__state=Decision.State.ISSUED).select_related(
        "decision__award_form", "decision__issuer").first()
    return render(request, "decisions/verify.html", {"award": award, "serial": serial},
                  status=200 if award else 404)
