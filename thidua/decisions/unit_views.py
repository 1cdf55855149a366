"""A unit's own decision, drafted from its list (within the unit's own authority)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core.feedback import perform
from thidua.decisions import actions
from thidua.decisions.documents import plan_grounds
from thidua.decisions.forms import UnitDecisionForm
from thidua.decisions.models import awarded
from thidua.decisions.queries import unit_signer_capacity
from thidua.decisions.rules import may_draft_unit_decision
from thidua.nominations.access import get_dossier_for


def unit_grounds(dossier) -> str:
    return plan_grounds(dossier.movement, "Xét đề nghị của bộ phận phụ trách công tác thi đua, "
                                          "khen thưởng.")


@login_required
def unit_decision_create(request, dossier_pk):
    dossier = get_dossier_for(request.user, dossier_pk)
    if not may_draft_unit_decision(request.user, dossier):
        raise Http404
    form = UnitDecisionForm(request.POST or None, dossier=dossier, initial={
        "issued_on": timezone.localdate(), "legal_grounds": unit_grounds(dossier),
        "nominees": list(dossier.nominees.filter(~awarded())),
        "signer_capacity": unit_signer_capacity(dossier.organisation)})
    if request.method == "POST" and form.is_valid():
        done = perform(request, actions.draft_unit_decision, dossier, by=request.user,
                       success=_("Đã lập dự thảo quyết định; người ký ban hành trên hệ thống."),
                       **form.cleaned_data)
        if done:
            return redirect(done.value)
    return render(request, "decisions/unit_form.html", {"form": form, "dossier": dossier})
