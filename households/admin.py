"""Admin for the command office; every list is narrowed by the same scoping as the pages."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AssistanceMeasure,
    County,
    Department,
    Household,
    ImportBatch,
    IncomeRecord,
    Member,
    MonitoringCase,
    MonitoringStep,
    Township,
    Village,
    VillageIndicators,
    Visit,
)
from .queries import households_visible_to, townships_visible_to, villages_visible_to


class HouseholdScopedAdmin(SimpleHistoryAdmin):
    """Rows of households outside the user's scope are not there at all (404 on direct URLs)."""

    household_path = "household"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self.household_path}__in": households_visible_to(request.user).values("pk")})


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(Township)
class TownshipAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "county")
    list_filter = ("county",)
    search_fields = ("code", "name")

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("county")
        return qs if request.user.is_superuser else qs.filter(pk__in=townships_visible_to(request.user))


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "township", "is_poor", "exit_year", "is_remote")
    list_filter = ("township", "is_poor")
    search_fields = ("code", "name")

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("township")
        return (
            qs
            if request.user.is_superuser
            else qs.filter(pk__in=villages_visible_to(request.user).values("pk"))
        )


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind")
    search_fields = ("code", "name")


class MemberInline(admin.TabularInline):
    model = Member
    extra = 0
    fields = ("seq", "name", "relation", "id_type", "id_number", "sex", "birth_date", "status")
    show_change_link = True


@admin.register(Household)
class HouseholdAdmin(HouseholdScopedAdmin):
    household_path = "pk"
    list_display = ("number", "head_name", "village", "attribute", "exit_status", "member_count")
    list_filter = ("village__township", "attribute", "exit_status")
    search_fields = ("number", "head_name", "members__name", "members__id_number")
    list_select_related = ("village",)
    raw_id_fields = ("helper",)
    inlines = [MemberInline]


@admin.register(Member)
class MemberAdmin(HouseholdScopedAdmin):
    list_display = ("name", "household", "relation", "sex", "birth_date", "status")
    search_fields = ("name", "id_number", "household__number")
    list_select_related = ("household",)
    raw_id_fields = ("household",)


@admin.register(IncomeRecord)
class IncomeRecordAdmin(HouseholdScopedAdmin):
    list_display = ("household", "year", "net_income", "per_capita_income", "member_count_used")
    list_filter = ("year",)
    search_fields = ("household__number",)
    list_select_related = ("household",)
    raw_id_fields = ("household",)


@admin.register(AssistanceMeasure)
class AssistanceMeasureAdmin(HouseholdScopedAdmin):
    list_display = ("household", "category", "item", "year", "amount", "status")
    list_filter = ("category", "year", "status")
    search_fields = ("household__number",)
    list_select_related = ("household",)
    raw_id_fields = ("household", "department")


@admin.register(Visit)
class VisitAdmin(HouseholdScopedAdmin):
    """Read-only: visits are recorded through the visit form, which checks dates and roles."""

    list_display = ("household", "helper", "date", "kind", "confirmed_by", "created_at")
    list_filter = ("kind", "date")
    search_fields = ("household__number", "household__head_name")
    list_select_related = ("household", "helper")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """Read only: batches are made and rolled back through the import pages, never here."""

    list_display = (
        "pk",
        "original_name",
        "user",
        "created_at",
        "status",
        "households_count",
        "members_count",
    )
    list_filter = ("status",)
    search_fields = ("original_name",)

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("user")
        return qs if request.user.is_superuser else qs.filter(user=request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MonitoringStepInline(admin.TabularInline):
    model = MonitoringStep
    extra = 0
    fields = ("date", "from_state", "to_state", "actor", "note", "attachment", "recorded_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        """The steps belong to the case: whoever may view the case may read them."""
        return request.user.has_perm("households.view_monitoringcase")


@admin.register(MonitoringCase)
class MonitoringCaseAdmin(HouseholdScopedAdmin):
    """Read-only: a case moves only through the monitoring pages, which check roles and criteria."""

    list_display = (
        "household",
        "state",
        "category",
        "channel",
        "clue_date",
        "identified_on",
        "eliminated_on",
    )
    list_filter = ("state", "category", "channel", "household__village__township")
    search_fields = ("household__number", "household__head_name")
    list_select_related = ("household",)
    inlines = [MonitoringStepInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(VillageIndicators)
class VillageIndicatorsAdmin(SimpleHistoryAdmin):
    """Scoped by village; the indicators page checks the values, so edits are made there."""

    list_display = ("village", "total_households", "total_population", "hardened_road", "updated_at")
    list_filter = ("village__township", "hardened_road")
    search_fields = ("village__name", "village__code")
    list_select_related = ("village__township",)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(village__in=villages_visible_to(request.user).values("pk"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# ------------------------------------------------------------------ exit procedure (退出程序)
from .models import ExitMilestone, ExitProcedure, ExitStep  # noqa: E402  (appended section)


class ExitStepInline(admin.TabularInline):
    model = ExitStep
    extra = 0
    fields = ("number", "date", "end_date", "passed", "user", "note", "details", "attachment", "recorded_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        """The steps belong to the procedure: whoever may view the procedure may read them."""
        return request.user.has_perm("households.view_exitprocedure")


@admin.register(ExitProcedure)
class ExitProcedureAdmin(HouseholdScopedAdmin):
    """Read-only: steps are recorded on the procedure page, which enforces their order."""

    list_display = ("household", "year", "household_signed", "started_by", "started_at")
    list_filter = ("year", "household_signed", "household__village__township")
    search_fields = ("household__number", "household__head_name")
    list_select_related = ("household", "started_by")
    inlines = [ExitStepInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ExitMilestone)
class ExitMilestoneAdmin(admin.ModelAdmin):
    list_display = ("year", "level", "last_step", "due_date", "last_notified")
    list_filter = ("year", "level")
