from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.core.models import Activity
from thidua.movements.models import Movement
from thidua.movements.queries import movements_for
from thidua.nominations.queries import dossiers_waiting_for
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
    return render(request, "core/public_home.html", {"movements": movements})


@login_required
def home(request):
    """Each role's work list: one panel per membership, then the administrator's overview."""
    panels = []
    for membership in request.user.active_memberships():
        panels.append({
            "membership": membership,
            "description": ROLE_TASKS.get(membership.role, ""),
            "movements": list(movements_for(membership)),
            "dossiers": list(dossiers_waiting_for(membership)),
        })
    notices = list(request.user.notices.unread()[:10])
    from thidua.decisions.models import Decision  # core stays below the domain apps

    to_sign = list(Decision.objects.filter(signer=request.user, state=Decision.State.DRAFT)
                   .select_related("award_form", "issuer"))
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
    return render(request, "core/home.html", {"panels": panels, "admin_overview": admin_overview,
                                              "notices": notices, "to_sign": to_sign})


@login_required
@require_POST
def notices_read(request):
    request.user.notices.unread().update(read_at=timezone.now())
    return redirect("home")


@login_required
def activity_log(request):
    rows = Activity.objects.visible_to(request.user).select_related("actor", "organisation")
    page = Paginator(rows, 50).get_page(request.GET.get("trang"))
    return render(request, "core/activity.html", {"page": page})


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    return render(request, "errors/500.html", status=500)
