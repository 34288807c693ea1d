"""Who may do what to a petition: pure checks on the user's profile and the petition.

Services call these before every write; templates only to decide which forms to show.
"""

from povertycase.accounts.models import Role, role_of

from .models import OPEN_STATES, State


def is_command(user) -> bool:
    return user.is_authenticated and (user.is_superuser or role_of(user) == Role.COMMAND)


def unit_of(user):
    """(township, department) the user works for; both None for other roles."""
    profile = getattr(user, "profile", None)
    if profile is None:
        return None, None
    if profile.role == Role.TOWNSHIP:
        return profile.township, None
    if profile.role == Role.DEPARTMENT:
        return None, profile.department
    return None, None


def is_handler(user, petition) -> bool:
    """A user of the handling unit; the command office handles what has no unit (escalated)."""
    if not user.is_authenticated:
        return False
    if petition.handling_township_id is None and petition.handling_department_id is None:
        return is_command(user)
    profile = getattr(user, "profile", None)
    if profile is None:
        return False
    if profile.role == Role.TOWNSHIP:
        return petition.handling_township_id == profile.township_id
    if profile.role == Role.DEPARTMENT:
        return petition.handling_department_id == profile.department_id
    return False


def sees_complainant(user, petition) -> bool:
    """The complainant's name and phone: the command office and the handling unit only."""
    return is_command(user) or is_handler(user, petition)


def can_register(user) -> bool:
    return is_command(user) or role_of(user) in (Role.TOWNSHIP, Role.VILLAGE)


def can_handle(user, petition) -> bool:
    """Accept, transfer, return and reply."""
    return petition.state in OPEN_STATES and (is_handler(user, petition) or is_command(user))


def is_area_township(user, petition) -> bool:
    profile = getattr(user, "profile", None)
    return bool(
        profile
        and profile.role == Role.TOWNSHIP
        and petition.township_id
        and petition.township_id == profile.township_id
    )


def can_revisit(user, petition) -> bool:
    return petition.state == State.REPLIED and (
        is_command(user) or is_area_township(user, petition) or is_handler(user, petition)
    )


def can_close(user, petition) -> bool:
    return petition.state == State.REVISITED and (
        is_command(user) or is_area_township(user, petition) or is_handler(user, petition)
    )


def allowed_actions(user, petition) -> list[str]:
    actions = []
    if can_handle(user, petition):
        if petition.state == State.REGISTERED:
            actions.append("accept")
        actions += ["transfer", "reply"]
        if petition.steps.filter(action="transfer").exists():
            actions.append("return")
    if can_revisit(user, petition):
        actions.append("revisit")
    if can_close(user, petition):
        actions.append("close")
    if is_command(user) and petition.rectification_item_id is None:
        actions.append("to_ledger")
    return actions
