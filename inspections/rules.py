"""Who may do what in inspections: pure checks on the user's role."""

from povertycase.accounts.models import Role, role_of

RECORDERS = {Role.COMMAND, Role.INSPECTOR}


def can_record(user) -> bool:
    """Record inspections, findings, samples and results; turn findings into ledger items."""
    return user.is_authenticated and (user.is_superuser or role_of(user) in RECORDERS)


RANKING_READERS = {Role.COMMAND, Role.INSPECTOR, Role.TOWNSHIP, Role.DEPARTMENT}


def can_see_ranking(user) -> bool:
    """The weekly ranking is a public bulletin inside the county (townships and departments too)."""
    return user.is_authenticated and (user.is_superuser or role_of(user) in RANKING_READERS)


def can_manage_ranking(user) -> bool:
    """Escalation flags and the ranking's weights are for the command office only."""
    return user.is_authenticated and (user.is_superuser or role_of(user) == Role.COMMAND)
