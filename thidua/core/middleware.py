"""The project's own middleware: language, bad bytes in requests, and who may keep a copy.

Order in ``settings.MIDDLEWARE`` matters: ``NoStoreMiddleware`` sits right below WhiteNoise (so
static files keep their caching and every other response passes it), ``ControlCharacterGuard``
right after authentication and before anything reads the path, the query or the session.
"""

import re

from django.conf import settings
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers


class VietnameseFirstLocaleMiddleware:
    """Vietnamese unless the user chose another language with the switch.

    Django's LocaleMiddleware follows the browser's Accept-Language, and many office computers
    run an English browser: officials would get an English product they never asked for.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = dict(settings.LANGUAGES)

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


# C0 controls, DEL and C1 controls: never part of an address, a query or a cookie.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


class ControlCharacterGuardMiddleware:
    """Answer 400 to a request that carries control characters where no person types them.

    PostgreSQL refuses NUL in text, so ``/xac-minh/%00/`` would reach a query and end in a 500;
    other control characters in an address are never a person's doing either. Refused, before any
    view, session or log write sees them: any control character (C0, DEL, C1) in the path, in a
    query parameter's name or value, or in a cookie; NUL in a header or in a posted form field
    (a text area legitimately holds tabs and line breaks; files are judged by the upload gate).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        part = bad_part(request)
        if part is None:
            return self.get_response(request)
        from django.contrib.auth.models import AnonymousUser

        from thidua.core.views import bad_request

        request.refused_for_bad_bytes = part
        if part in ("cookie", "header"):
            # The session cookie itself may be the bad part: never look it up.
            request.user = AnonymousUser()
        # The error page links back to the current address; give it a harmless one.
        request.path = request.path_info = "/"
        request.META["QUERY_STRING"] = ""
        return bad_request(request)


def bad_part(request) -> str | None:
    """Which part of ``request`` carries a refused character: "path", "query", "cookie",
    "header", "form", or None."""
    if _CONTROL.search(request.path_info) or _CONTROL.search(request.path):
        return "path"
    if any(_CONTROL.search(key) or any(_CONTROL.search(v) for v in values)
           for key, values in request.GET.lists()):
        return "query"
    if any(_CONTROL.search(key) or _CONTROL.search(value) for key, value in request.COOKIES.items()):
        return "cookie"
    if any("\x00" in str(value) for key, value in request.META.items() if key.startswith("HTTP_")):
        return "header"
    if request.method == "POST":
        try:
            posted = request.POST
        except OSError:  # the client went away mid-upload: the view's own handling answers
            return None
        if any("\x00" in key or any("\x00" in v for v in values) for key, values in posted.lists()):
            return "form"
    return None


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on everything but the public pages that show no person.

    Every page a signed-in user sees is drawn from their scope, and every download (a dossier,
    a decision, a scan, an export) holds people's names; the public disclosure and certificate
    verification pages show people too. So the rule is the other way round: a response may be
    kept by a browser or a proxy only when it answers an anonymous visitor, is not a file, and
    comes from a view named in ``settings.THIDUA_CACHEABLE_PUBLIC_VIEWS`` (the public home page,
    the movements, the JavaScript catalogue). Static files are served above this middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.cacheable = frozenset(getattr(settings, "THIDUA_CACHEABLE_PUBLIC_VIEWS", ()))

    def __call__(self, request):
        response = self.get_response(request)
        if not self._may_be_kept(request, response):
            add_never_cache_headers(response)
        return response

    def _may_be_kept(self, request, response) -> bool:
        # Cheapest first, and the user last: looking at it reads the session.
        if response.status_code >= 400 or response.has_header("Content-Disposition"):
            return False
        match = getattr(request, "resolver_match", None)
        if match is None or match.view_name not in self.cacheable:
            return False
        user = getattr(request, "user", None)
        return user is not None and not user.is_authenticated
