"""The pages that gather every domain: the public home page and each person's work list.

They stand above all domain apps (and import them); nothing imports this app.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from thidua.core.models import Activity
from thidua.decisions.models import Decision
from thidua.home.queues import queues_for
from thidua.movements.models import Movement
from thidua.movements.queries import movements_for, supervision_for
from thidua.orgs.models import Organisation, Role, User
from thidua.rulesets.models import AwardForm, DocumentRequirement, RuleSet

ROLE_TASKS = {
    Role.UNIT_OFFICER: _("Phong trào đơn vị đang tham gia: lập đăng ký, kế hoạch, hồ sơ đề nghị."),
    Role.UNIT_HEAD: _("Phong trào đơn vị đang tham gia: duyệt và trình hồ sơ của đơn vị."),
    Role.RECEIVING_OFFICE: _("Phong trào cơ quan tiếp nhận hồ sơ: kiểm tra, trả lại, họp xét."),
    Role.COUNCIL_SECRETARIAT: _("Phong trào Hội đồng TĐKT xét: chuẩn bị phiên họp, dự thảo quyết định."),
    Role.COUNCIL_MEMBER: _("Phong trào Hội đồng TĐKT theo dõi và bỏ phiếu."),
    Role.CHAIRMAN: _("Phong trào do cơ quan phát động: ký quyết định khen thưởng."),
    Role.COMMUNICATIONS_EDITOR: _("Phong trào cơ quan tuyên truyền: biên tập, đăng gương điển hình."),
    Role.VIEWER: _("Phong trào trong phạm vi theo dõi, kiểm tra."),
}


def public_home(request):
    movements = Movement.objects.visible_to(request.user).filter(
        status=Movement.Status.PUBLISHED
    ).select_related("issuer")
    return render(request, "home/public_home.html", {"movements": movements})


@login_required
def home(request):
    """Each role's work queues: one panel per membership, what waits for this person first
    (decisions to sign, then each role's queues, most urgent first), then the administrator's
    overview. Each queue costs a fixed number of queries (``home.queues``)."""
    panels = []
    for membership in request.user.active_memberships():
        queues = queues_for(membership, request.user)
        panels.append({
            "membership": membership,
            "description": ROLE_TASKS.get(membership.role, ""),
            "movements": list(movements_for(membership)),
            "queues": queues,
            "waiting": sum(q.count for q in queues if q.action),
        })
    # The busiest role first, so the work comes before the reading.
    panels.sort(key=lambda p: (-sum(q.late for q in p["queues"]), -p["waiting"]))
    notices = list(request.user.notices.unread()[:10])
    to_sign = list(Decision.objects.filter(signer=request.user, state=Decision.State.DRAFT)
                   .select_related("award_form", "issuer").annotate(n=Count("awards"))
                   .order_by("issued_on", "pk"))
    admin_overview = None
    if request.user.is_superuser:
        admin_overview = {
            "organisations": Organisation.objects.active_on().count(),
            "users": User.objects.filter(is_active=True).count(),
            "rule_sets": RuleSet.objects.count(),
            "unverified": sum(
                1 for model in (RuleSet, AwardForm, DocumentRequirement)
                for fields in model.objects.values_list("unverified_fields", flat=True) if fields
            ),
            "recent": Activity.objects.select_related("actor")[:10],
        }
    # A council member's assigned units, late ones first (empty without an assignment).
    supervision = (supervision_for(request.user)
                   if Role.COUNCIL_MEMBER in request.user.roles() else [])
    return render(request, "home/home.html", {"panels": panels, "admin_overview": admin_overview,
                                              "notices": notices, "to_sign": to_sign,
                                              "supervision": supervision})
