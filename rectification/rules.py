"""Who may do what to a ledger item: pure checks on the user's profile and the item.

The services call these before every write; the templates call them only to decide which
buttons to show (a hidden button is not a permission).
"""

from povertycase.accounts.models import Role, role_of

from .models import Status

SUPERVISORS = {Role.COMMAND, Role.INSPECTOR}


def is_command(user) -> bool:
    return user.is_authenticated and (user.is_superuser or role_of(user) == Role.COMMAND)


def is_supervisor(user) -> bool:
    """The command office and inspectors verify, send back and close items."""
    return user.is_authenticated and (user.is_superuser or role_of(user) in SUPERVISORS)


def is_responsible(user, item) -> bool:
    """The item's responsible person, or a cadre of its responsible township or department."""
    if not user.is_authenticated:
        return False
    if item.responsible_person_id == user.pk:
        return True
    profile = getattr(user, "profile", None)
    if profile is None:
        return False
    if profile.role == Role.TOWNSHIP:
        return (
            item.responsible_township_id is not None and item.responsible_township_id == profile.township_id
        )
    if profile.role == Role.DEPARTMENT:
        return (
            item.responsible_department_id is not None
            and item.responsible_department_id == profile.department_id
        )
    return False


def can_work(user, item) -> bool:
    """Start, report progress and ask for closing."""
    return is_responsible(user, item) and item.status in (Status.PENDING, Status.IN_PROGRESS)


def can_verify(user, item) -> bool:
    """Send back or close: a supervisor who is not also the one responsible (DOMAIN.md §6.4)."""
    return item.status == Status.SUBMITTED and is_supervisor(user) and item.responsible_person_id != user.pk


def can_manage(user) -> bool:
    """Create, edit, assign and withdraw items; import and export the whole ledger."""
    return is_command(user)


def can_withdraw(user, item) -> bool:
    return can_manage(user) and item.status in (Status.PENDING, Status.IN_PROGRESS, Status.SUBMITTED)


def can_reopen(user, item) -> bool:
    return is_supervisor(user) and item.status == Status.CLOSED


def can_export_all(user) -> bool:
    return is_supervisor(user)


def can_export(user) -> bool:
    return is_supervisor(user) or role_of(user) in (Role.TOWNSHIP, Role.DEPARTMENT, Role.VILLAGE)


def allowed_actions(user, item) -> set[str]:
    actions = set()
    if can_work(user, item):
        actions |= {"progress", "request_closing"}
        if item.status == Status.PENDING:
            actions.add("start")
    if can_verify(user, item):
        actions |= {"send_back", "close"}
    if can_withdraw(user, item):
        actions.add("withdraw")
    if can_reopen(user, item):
        actions.add("reopen")
    if can_manage(user) and item.status in (Status.PENDING, Status.IN_PROGRESS, Status.SUBMITTED):
        actions.add("edit")
    return actions
