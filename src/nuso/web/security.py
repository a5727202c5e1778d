"""A strict Content-Security-Policy: everything from our own origin, no inline scripts or
styles, no frames. (Django 5.2 has no CSP of its own; one header needs no dependency.)"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",  # the QR code of TOTP enrolment is a data: image
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class PortalLanguageMiddleware:
    """The language the user chose (the language cookie that Django's set_language view
    writes); else the language of the country of the user's units (bokmål for a Norwegian
    municipality's users); before login, and for users whose units are of no one country
    (analysts), bokmål for a browser whose first choice is Norwegian; else Swedish. The
    portal speaks the language of the country the user works in, so a browser's English
    (common in Sweden) does not change it. After the authentication middleware: the default
    depends on the user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else users_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))  # what the language is of
        return response


def users_language(request: HttpRequest) -> str:
    """The default language of the country of the signed-in user's units: the one country
    all their units are in; for a user without one country (analysts), as before login."""
    from django.conf import settings

    from nuso.core.countries import COUNTRIES

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return browsers_country_language(request)
    countries = set(user.units.values_list("country", flat=True))
    language = COUNTRIES[countries.pop()].language if len(countries) == 1 else ""
    if language in dict(settings.LANGUAGES):
        return language
    return browsers_country_language(request)  # no one country (analysts): as before login


NORWEGIAN_TAGS = ("nb", "nn", "no")  # bokmål, nynorsk, Norwegian: the portal has bokmål


def browsers_country_language(request: HttpRequest) -> str:
    """Before login: bokmål when the browser's first choice is a Norwegian language, else the
    default (Swedish)."""
    from django.conf import settings
    from django.utils.translation.trans_real import parse_accept_lang_header

    accepted = parse_accept_lang_header(request.headers.get("accept-language", ""))
    first = accepted[0][0].lower().split("-")[0] if accepted else ""
    return "nb" if first in NORWEGIAN_TAGS else str(settings.LANGUAGE_CODE)
