from django.contrib import admin

from .models import Finding, Inspection, InspectionTeam, RankingEntry, RankingSnapshot, Sample
from .queries import findings_visible_to, samples_visible_to


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

    def get_queryset(self, request):
        return findings_visible_to(request.user)


@admin.register(Sample)
class SampleAdmin(admin.ModelAdmin):
    """Read-only: a drawn sample never changes."""

    list_display = ["title", "seed", "rate", "remote_factor", "population", "created_at"]

    def get_queryset(self, request):
        return samples_visible_to(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RankingEntryInline(admin.TabularInline):
    model = RankingEntry
    fields = ["kind", "rank", "name", "score", "top", "bottom", "bottom_streak", "escalation"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RankingSnapshot)
class RankingSnapshotAdmin(admin.ModelAdmin):
    """Stored weeks are read-only here as everywhere: a snapshot is never recomputed."""

    list_display = ["week", "first_day", "last_day", "computed_at"]
    readonly_fields = ["week", "first_day", "last_day", "weights", "parameters", "computed_at"]
    inlines = [RankingEntryInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
