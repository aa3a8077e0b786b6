"""Saved views in the admin: an administrator can find and remove anyone's (a shared view whose
owner has left, for one)."""

from __future__ import annotations

from django.contrib import admin

from qualityhub.savedviews.models import SavedView


@admin.register(SavedView)
class SavedViewAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "page", "shared", "updated_at")
    list_filter = ("page", "shared")
    search_fields = ("name", "owner__username")
    raw_id_fields = ("owner",)
