from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .forms import ProfileAdminForm
from .models import Profile

User = get_user_model()


class ProfileInline(admin.StackedInline):
    model = Profile
    form = ProfileAdminForm
    can_delete = False
    fields = ("role", "township", "village", "department", "phone", "leader_post")


admin.site.unregister(User)


@admin.register(User)
class UserWithProfileAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ("username", "first_name", "last_name", "role", "scope", "is_active", "is_staff")
    list_filter = ("profile__role", "profile__leader_post", "is_active", "is_staff")
    list_select_related = ("profile__township", "profile__village", "profile__department")

    @admin.display(description=Profile._meta.get_field("role").verbose_name, ordering="profile__role")
    def role(self, user):
        """The role, with the leading post of a township secretary or head: 乡镇扶贫专干（乡镇长）."""
        profile = getattr(user, "profile", None)
        if not profile:
            return ""
        if profile.leader_post:
            return f"{profile.get_role_display()}（{profile.get_leader_post_display()}）"
        return profile.get_role_display()

    @admin.display(description=_("Scope"))
    def scope(self, user):
        profile = getattr(user, "profile", None)
        return profile.scope_label if profile else ""
