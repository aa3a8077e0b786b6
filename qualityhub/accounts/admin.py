from django.contrib import admin

from qualityhub.accounts.models import SupplierAssignment


@admin.register(SupplierAssignment)
class SupplierAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "supplier_id"]
    list_filter = ["user"]
    search_fields = ["user__username", "=supplier_id"]
