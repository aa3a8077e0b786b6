from django.contrib import admin

from qualityhub.inspections.models import Characteristic, Inspection


class CharacteristicInline(admin.TabularInline):
    model = Characteristic
    extra = 0
    fields = ("line_num", "name", "type", "value_type", "target", "recorded_numeric", "verdict")
    readonly_fields = fields
    can_delete = False


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = (
        "coupa_id",
        "status",
        "review_decision",
        "verdict",
        "supplier_id",
        "item_name",
        "ref_document_id",
        "due_date",
        "modified_at",
        "exported",
    )
    list_filter = ("status", "review_decision", "verdict", "exported", "disagreement")
    search_fields = (
        "=coupa_id",
        "ref_document_id",
        "supplier_part_number",
        "buyer_part_number",
        "external_inspection_id",
        "item_name",
    )
    show_full_result_count = False
    inlines = [CharacteristicInline]

    def has_add_permission(self, request):
        return False  # the cache is written by the sync, not by hand
