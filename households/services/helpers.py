"""Assigning a household's helper (帮扶责任人); every reassignment stays in the history."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from households import rules
from households.history import display_name
from households.models import Household
from households.queries import households_visible_to
from povertycase.accounts.models import Role
from povertycase.errors import DomainError

User = get_user_model()


def helper_candidates():
    """Users who may be assigned: helper role only, with their department for the label."""
    return (
        User.objects.filter(profile__role=Role.HELPER, is_active=True)
        .select_related("profile__department")
        .order_by("last_name", "first_name", "username")
    )


def can_assign_helper(user, household: Household, *, in_scope: bool = False) -> bool:
    """Register cadres (command, township, village) for a household in their scope."""
    if not rules.can_edit_register(user):
        return False
    return in_scope or households_visible_to(user).filter(pk=household.pk).exists()


@transaction.atomic
def household_assign_helper(*, household: Household, helper, user, reason: str = "") -> Household:
    """Make `helper` (None: nobody) the household's helper; the history keeps who, when and why."""
    if not can_assign_helper(user, household):
        raise DomainError(_("You may not assign a helper to this household."))
    if helper is not None and not helper_candidates().filter(pk=helper.pk).exists():
        raise DomainError(_("Only an active user with the helper role can be assigned."), field="helper")
    if (helper.pk if helper else None) == household.helper_id:
        raise DomainError(_("This helper is already assigned to the household."), field="helper")
    household.helper = helper
    household.helper_name = display_name(helper) if helper else ""
    household.helper_phone = helper.profile.phone if helper else ""
    household._history_user = user
    household._change_reason = reason or _("helper assigned")
    household.save(update_fields=["helper", "helper_name", "helper_phone", "updated_at"])
    return household
