"""The mail queue, for an administrator: what waits, what failed and why, and "send again"."""

from __future__ import annotations

from django.contrib import admin, messages

from qualityhub.notifications.mail import retry
from qualityhub.notifications.models import OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = (
        "key",
        "to_address",
        "subject",
        "state",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "short_error",
    )
    list_filter = ("state",)
    search_fields = ("key", "to_address", "subject")
    date_hierarchy = "created_at"
    ordering = ("-pk",)
    actions = ("send_again",)
    readonly_fields = [field.name for field in OutgoingMail._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False  # mails are made by QualityHub, not typed in

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # the queue is read here; the action is the one change

    @admin.display(description="Last error")
    def short_error(self, mail: OutgoingMail) -> str:
        return mail.last_error[:80]

    @admin.action(description="Send again (failed or queued mails, now, from attempt 1)")
    def send_again(self, request, queryset) -> None:
        count = retry(queryset.values_list("pk", flat=True))
        self.message_user(request, f"{count} mail(s) queued to be sent again.", messages.SUCCESS)
