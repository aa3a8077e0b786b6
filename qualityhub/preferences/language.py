"""A person's UI language: chosen once, kept per user, carried in the session so a page costs
no query for it, and used for what is sent to them (mails, digests, PDFs)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation

from qualityhub.preferences.models import ChosenLanguage

SESSION_KEY = "qualityhub_language"
CODES = frozenset(code for code, _ in settings.LANGUAGES)


def chosen_language(user) -> str | None:
    """The language `user` picked, or None (the browser decides)."""
    if user is None or not user.pk:
        return None
    code = ChosenLanguage.objects.filter(user=user).values_list("code", flat=True).first()
    return code if code in CODES else None


def language_for(user) -> str:
    """The language to write to `user` in when no browser is there (mail, a PDF made by a
    task): the one they picked, else the site's."""
    return chosen_language(user) or settings.LANGUAGE_CODE


def languages_for(user_ids) -> dict[int, str]:
    """`language_for` of many users in one query: {user id: code}, every id present."""
    ids = list(user_ids)
    chosen = dict(
        ChosenLanguage.objects.filter(user_id__in=ids, code__in=CODES).values_list(
            "user_id", "code"
        )
    )
    return {user_id: chosen.get(user_id, settings.LANGUAGE_CODE) for user_id in ids}


def choose(request, code: str) -> None:
    """Keep `code` as the signed-in user's language (refuses an unknown one)."""
    if code not in CODES:
        raise ValueError(f"not one of QualityHub's languages: {code!r}")
    ChosenLanguage.objects.update_or_create(user=request.user, defaults={"code": code})
    request.session[SESSION_KEY] = code
    translation.activate(code)
    request.LANGUAGE_CODE = code


@receiver(user_logged_in, dispatch_uid="qualityhub-language-on-sign-in")
def _carry_into_session(sender, request, user, **kwargs) -> None:
    """On sign-in, a language picked in another browser follows the person here."""
    if request is None or not hasattr(request, "session"):
        return
    code = chosen_language(user)
    if code:
        request.session[SESSION_KEY] = code
    else:
        request.session.pop(SESSION_KEY, None)
