"""The gate of the second factor, for every way in (our sign-in page, the admin's, any other).

After the password, a user who has an authenticator but has not typed its code in this session,
or who must have one (``orgs.mfa.required``) and has none yet, reaches only the pages listed in
``OPEN`` — the code, the enrolment, signing out, the language switch. Everything else sends them
to the code or the enrolment, keeping where they were going. Placed after django-otp's
``OTPMiddleware``, which says whether the session is verified.
"""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from thidua.orgs import mfa

OPEN = frozenset({"mfa-verify", "mfa-enrol", "logout", "set_language", "javascript-catalog"})


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if mfa.enrolled(user):
            target = reverse("mfa-verify")
        elif mfa.required(user):
            target = reverse("mfa-enrol")
        else:
            return None
        # The open pages show no navigation to where this user cannot go yet.
        request.second_factor_due = True
        match = request.resolver_match
        if match is not None and match.view_name in OPEN:
            return None
        if request.method == "GET":
            target = f"{target}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False):
            # A fragment request would put the whole page into a corner of the old one.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)
