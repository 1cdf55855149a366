import sys

from django.contrib.auth.decorators import login_required
from django.db import OperationalError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from thidua.core import timeouts
from thidua.core.models import Activity
from thidua.core.paging import keyset_page


@login_required
@require_POST
def notices_read(request):
    request.user.notices.unread().update(read_at=timezone.now())
    return redirect("home")


@login_required
def activity_log(request):
    rows = Activity.objects.visible_to(request.user).select_related("actor", "organisation")
    # Newest first by id (ids follow creation): "older/newer" links, no count of the log.
    page = keyset_page(request, rows)
    return render(request, "core/activity.html", {"page": page})


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # Called while the exception is being handled: a database wait that ran out is "busy, try
    # again", not a fault (core.timeouts).
    exc = sys.exc_info()[1]
    if isinstance(exc, OperationalError):
        return timeouts.busy_response(request, exc)
    return render(request, "errors/500.html", status=500)
