from django.contrib import admin

from .models import Finding, Inspection, InspectionTeam, Sample


@admin.register(InspectionTeam)
class InspectionTeamAdmin(admin.ModelAdmin):
    list_display = ["name", "leader"]
    filter_horizontal = ["members"]


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "start_date", "end_date", "team"]
    list_filter = ["kind"]


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["inspection", "level", "text", "item"]
    readonly_fields = ["item"]


@admin.register(Sample)
class SampleAdmin(admin.ModelAdmin):
    """Read-only: a drawn sample never changes."""

    list_display = ["title", "seed", "rate", "remote_factor", "population", "created_at"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
