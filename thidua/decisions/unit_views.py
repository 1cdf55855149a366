"""A unit's own decision, drafted from its list (within the unit's own authority)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core.feedback import report_refusal
from thidua.decisions import actions
from thidua.decisions.documents import plan_grounds
from thidua.decisions.forms import UnitDecisionForm
from thidua.decisions.models import Decision
from thidua.nominations.access import get_dossier_for


def unit_grounds(dossier) -> str:
    return plan_grounds(dossier.movement, "Xét đề nghị của bộ phận phụ trách công tác thi đua, "
                                          "khen thưởng.")


@login_required
def unit_decision_create(request, dossier_pk):
    dossier = get_dossier_for(request.user, dossier_pk)
    if not (request.user.has_perm("decisions.draft_for_unit", dossier.organisation)
            and dossier.award_form.decided_by(dossier.organisation)):
        raise Http404
    form = UnitDecisionForm(request.POST or None, dossier=dossier, initial={
        "issued_on": timezone.localdate(), "legal_grounds": unit_grounds(dossier),
        "nominees": list(dossier.nominees.filter(awards__isnull=True)),
        "signer_capacity": Decision.Capacity.ON_BEHALF if dossier.organisation.level == "commune"
        else Decision.Capacity.HEAD})
    if request.method == "POST" and form.is_valid():
        try:
            decision = actions.draft_unit_decision(dossier, by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            report_refusal(request, exc)
        else:
            messages.success(request, _("Đã lập dự thảo quyết định; người ký ban hành trên hệ thống."))
            return redirect(decision)
    return render(request, "decisions/unit_form.html", {"form": form, "dossier": dossier})
