from django.contrib import admin

from qualityhub.notes.models import Note


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ("created_at", "inspection_id", "characteristic_label", "author")
    list_select_related = ("author",)
    raw_id_fields = ("inspection",)
    search_fields = ("text",)
    readonly_fields = ("created_at",)
