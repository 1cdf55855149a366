from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from thidua.core.models import Activity


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
