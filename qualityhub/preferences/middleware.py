"""The language a signed-in person picked wins over their browser's Accept-Language (which
Django's LocaleMiddleware, earlier in the chain, already activated)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from qualityhub.preferences.language import CODES, SESSION_KEY


class ChosenLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        code = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        if code in CODES and request.user.is_authenticated:
            translation.activate(code)
            request.LANGUAGE_CODE = code
        return self.get_response(request)
