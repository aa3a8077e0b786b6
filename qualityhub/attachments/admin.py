from django.contrib import admin

from qualityhub.attachments.models import Attachment


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ("coupa_id", "inspection_id", "characteristic_id", "file_name", "size")
    raw_id_fields = ("inspection", "characteristic")
