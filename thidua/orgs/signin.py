"""The sign-in surface against guessing and flooding: the lock-out's keys, the budget against
password spraying, and the password-reset budget.

- **One user name, one address**: django-axes locks the pair (user name *and* address) after
  ``AXES_FAILURE_LIMIT`` failures, so nobody can lock an official out from their own machine.
- **Many user names, one address** (password spraying): :class:`SignInHandler` adds a budget per
  address across every name (``THIDUA_SIGNIN_CLIENT_FAILURES`` failures in the cool-off);
  beyond it the address is locked out whatever name it tries. Counted from axes' own table, in
  the database, so every app server sees the same count.
- **The address** is ``core.clients.client_key``: ``REMOTE_ADDR`` unless the deployment trusts a
  proxy header; an IPv6 visitor counts by its /64.
- **Password reset**: :class:`PasswordResetView` sends mail only within a budget per address and
  per target e-mail address (``orgs.throttle``, in the database) and answers the same page either
  way, so the page tells nobody whether an account exists or whether mail went out.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db.models import Sum
from django.http import HttpResponseRedirect

from thidua.core.clients import client_key
from thidua.core.text import nfc
from thidua.orgs import throttle

CLIENT_FAILURES = 30
RESETS_PER_CLIENT = 10  # an office shares one address
RESETS_PER_ADDRESS = 3
RESET_WINDOW = 60 * 60


def client_ip(request) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the address axes records and locks by (None when unknown)."""
    return client_key(request) or None


class SignInHandler(AxesDatabaseHandler):
    """axes' database handler with a second budget: the failures of one address across every
    user name in the cool-off. When it is spent the address counts as having reached the
    per-pair limit, so axes refuses it (the lock-out page, status 429) for any name."""

    def get_failures(self, request, credentials=None) -> int:
        pair = super().get_failures(request, credentials)
        budget = getattr(settings, "THIDUA_SIGNIN_CLIENT_FAILURES", CLIENT_FAILURES)
        from_client = (AccessAttempt.objects
                       .filter(ip_address=request.axes_ip_address,
                               attempt_time__gte=get_cool_off_threshold(request))
                       .aggregate(n=Sum("failures_since_start"))["n"] or 0)
        if from_client >= budget:
            return max(pair, get_failure_limit(request, credentials))
        return pair


def reset_allowed(request, email: str) -> bool:
    """Count one reset request from this visitor for ``email``; True when mail may go out.
    The target address is counted only while the visitor is within its own budget, so one
    flooding machine cannot use up another person's budget beyond its own."""
    per_client = getattr(settings, "THIDUA_RESETS_PER_CLIENT", RESETS_PER_CLIENT)
    per_address = getattr(settings, "THIDUA_RESETS_PER_ADDRESS", RESETS_PER_ADDRESS)
    if not throttle.hit("reset-client", client_key(request), limit=per_client,
                        window=RESET_WINDOW):
        return False
    target = nfc(email).casefold()
    return throttle.hit("reset-address", target, limit=per_address, window=RESET_WINDOW)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset form, mailing only within the budgets; the answer page is the same."""

    def form_valid(self, form):
        if reset_allowed(self.request, form.cleaned_data["email"]):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())
