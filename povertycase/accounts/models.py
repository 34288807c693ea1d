from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COMMAND = "command", _("County command office")
    TOWNSHIP = "township", _("Township cadre")
    VILLAGE = "village", _("Village cadre")
    HELPER = "helper", _("Helper")
    DEPARTMENT = "department", _("Department")
    INSPECTOR = "inspector", _("Inspector")


COUNTY_WIDE_READERS = {Role.COMMAND, Role.DEPARTMENT, Role.INSPECTOR}
REGISTER_EDITORS = {Role.COMMAND, Role.TOWNSHIP, Role.VILLAGE}


class LeaderPost(models.TextChoices):
    """A township account's leading post; VS-005 reads who is secretary or mayor."""

    SECRETARY = "secretary", _("Township Party secretary")
    MAYOR = "mayor", _("Township head")


class Profile(models.Model):
    """A user's one role and the scope it applies to (DESIGN.md, users and roles)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    township = models.ForeignKey(
        "households.Township", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("township")
    )
    village = models.ForeignKey(
        "households.Village", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("village")
    )
    department = models.ForeignKey(
        "households.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("department"),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    leader_post = models.CharField(_("leading post"), max_length=20, choices=LeaderPost.choices, blank=True)

    class Meta:
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="township") | models.Q(township__isnull=False),
                name="profile_township_role_has_township",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="village") | models.Q(village__isnull=False),
                name="profile_village_role_has_village",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="department") | models.Q(department__isnull=False),
                name="profile_department_role_has_department",
            ),
            models.CheckConstraint(
                condition=models.Q(leader_post="") | models.Q(role="township"),
                name="profile_leader_post_township_only",
            ),
        ]

    def __str__(self):
        return f"{self.user.get_username()} ({self.get_role_display()})"

    @property
    def scope_label(self) -> str:
        scope = self.village or self.township or self.department
        return str(scope) if scope else ""


def role_of(user) -> str | None:
    if not user.is_authenticated:
        return None
    profile = getattr(user, "profile", None)
    return profile.role if profile else None
