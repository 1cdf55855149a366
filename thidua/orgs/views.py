from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from thidua.orgs.access import get_organisation_for
from thidua.orgs.models import Membership, Organisation


@login_required
def my_organisations(request):
    """The organisations a user works on, as an indented tree."""
    organisations = Organisation.objects.scope_of(request.user).active_on().select_related("parent")
    return render(request, "orgs/mine.html", {"organisations": organisations})


@login_required
def organisation_detail(request, pk):
    organisation = get_organisation_for(request.user, pk)
    today = timezone.localdate()
    context = {
        "organisation": organisation,
        "ancestors": organisation.ancestors(),
        "children": organisation.children.active_on(today),
        "versions": organisation.versions.select_related("parent").order_by("-valid_from"),
        "events": organisation.events.select_related("other").order_by("-occurred_on", "-pk"),
        "memberships": Membership.objects.active_on(today)
        .filter(organisation=organisation).select_related("user"),
    }
    return render(request, "orgs/detail.html", context)
