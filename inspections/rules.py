"""Who may do what in inspections: pure checks on the user's role."""

from povertycase.accounts.models import Role, role_of

RECORDERS = {Role.COMMAND, Role.INSPECTOR}


def can_record(user) -> bool:
    """Record inspections, findings, samples and results; turn findings into ledger items."""
    return user.is_authenticated and (user.is_superuser or role_of(user) in RECORDERS)
