"""Who may change what in the register; pure checks, no queries beyond the user's profile."""

from povertycase.accounts.models import REGISTER_EDITORS, Role, role_of


def can_edit_register(user) -> bool:
    """May create, edit and import households at all (scope is checked by the queries)."""
    return user.is_authenticated and (user.is_superuser or role_of(user) in REGISTER_EDITORS)


def can_import(user) -> bool:
    return can_edit_register(user)


def can_manage_county(user) -> bool:
    return user.is_authenticated and (user.is_superuser or role_of(user) == Role.COMMAND)


def can_rollback_import(user, batch) -> bool:
    return can_manage_county(user) or (user.is_authenticated and batch.user_id == user.pk)
