from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Category, Item, UnitHead
from .queries import items_visible_to


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent", "sort"]
    list_filter = ["parent"]
    search_fields = ["code", "name"]


@admin.register(Item)
class ItemAdmin(SimpleHistoryAdmin):
    """Read-only: state changes go through the services (and their checks) in the ledger pages."""

    list_display = [
        "number",
        "category",
        "status",
        "responsible_township",
        "responsible_department",
        "deadline",
    ]
    list_filter = ["status", "kind", "source"]
    search_fields = ["number", "description"]

    def get_queryset(self, request):
        return items_visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(UnitHead)
class UnitHeadAdmin(admin.ModelAdmin):
    list_display = ["user", "township", "department"]
    raw_id_fields = ["user"]
