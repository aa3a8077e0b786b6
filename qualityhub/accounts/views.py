from __future__ import annotations

from datetime import timedelta

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.views import PasswordResetView
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy

from qualityhub.accounts.throttle import admit
from qualityhub.preferences.language import language_for

TOO_MANY_RESETS = gettext_lazy(
    "Too many password reset requests for this email address or from your network. "
    "Please wait up to %(minutes)s minutes and try again."
)


class RecipientsLanguageResetForm(PasswordResetForm):
    """Django's, writing each account's mail (subject and body) in the language its person
    chose in QualityHub, not the one of whoever asked: the link goes to the account's owner."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        with translation.override(language_for(context["user"])):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class ThrottledPasswordResetView(PasswordResetView):
    """Django's, sending no mail once an email address, or a client address, has asked too
    often. Every request counts whether or not the address belongs to anyone, so the answer
    tells nobody which addresses do."""

    form_class = RecipientsLanguageResetForm

    def form_valid(self, form) -> HttpResponse:
        if not _reset_admitted(self.request, form.cleaned_data["email"]):
            minutes = settings.PASSWORD_RESET_WINDOW_MINUTES
            form.add_error(None, TOO_MANY_RESETS % {"minutes": minutes})
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


def _reset_admitted(request, email: str) -> bool:
    window = timedelta(minutes=settings.PASSWORD_RESET_WINDOW_MINUTES)
    email_limit = settings.PASSWORD_RESET_LIMIT_PER_EMAIL
    client_limit = settings.PASSWORD_RESET_LIMIT_PER_CLIENT
    # Both counted on every request, so asking for other addresses never frees one.
    by_email = admit("reset-email", email.strip().casefold(), email_limit, window)
    by_client = admit("reset-client", get_client_ip_address(request) or "", client_limit, window)
    return by_email and by_client
