from django.contrib import admin

from .models import CodeList, ExportLog, Parameter


@admin.register(CodeList)
class CodeListAdmin(admin.ModelAdmin):
    list_display = ("list", "code", "label_zh", "sort", "valid_from", "valid_to")
    list_filter = ("list",)
    search_fields = ("code", "label_zh")


@admin.register(Parameter)
class ParameterAdmin(admin.ModelAdmin):
    list_display = ("name", "year", "region_code", "value", "unit", "source")
    list_filter = ("name",)


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin):
    """Read only: the log is evidence of who took which data out."""

    list_display = ("created_at", "user", "kind", "row_count")
    list_filter = ("kind",)
    date_hierarchy = "created_at"
    list_select_related = ("user",)
    readonly_fields = ("user", "created_at", "kind", "filters", "row_count")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
