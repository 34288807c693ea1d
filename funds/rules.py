"""Who may write what in the funds ledger; reads are scoped in queries.py."""

from povertycase.accounts.models import Role, role_of

# The finance bureau sees every allocation and project and books reimbursements.
FINANCE_DEPARTMENT_NAME = "财政局"


def is_command(user) -> bool:
    return user.is_superuser or role_of(user) == Role.COMMAND


def is_finance(user) -> bool:
    profile = getattr(user, "profile", None)
    return bool(
        profile
        and profile.role == Role.DEPARTMENT
        and profile.department
        and profile.department.name == FINANCE_DEPARTMENT_NAME
    )


def sees_all(user) -> bool:
    return is_command(user) or is_finance(user) or role_of(user) == Role.INSPECTOR


def can_manage_allocations(user) -> bool:
    return is_command(user) or is_finance(user)


def implements(user, project) -> bool:
    """The user is a cadre of the project's implementing unit."""
    profile = getattr(user, "profile", None)
    if not profile:
        return False
    if profile.role == Role.TOWNSHIP:
        return project.implementing_township_id == profile.township_id
    if profile.role == Role.DEPARTMENT:
        return project.implementing_department_id == profile.department_id
    return False


def can_work(user, project) -> bool:
    """Record payments, completion, beneficiaries and assets."""
    return is_command(user) or is_finance(user) or implements(user, project)


def can_create_project(user, *, township_id=None, department_id=None) -> bool:
    if is_command(user):
        return True
    profile = getattr(user, "profile", None)
    if not profile:
        return False
    if profile.role == Role.TOWNSHIP:
        return bool(township_id) and township_id == profile.township_id
    if profile.role == Role.DEPARTMENT:
        return bool(department_id) and department_id == profile.department_id
    return False


# action -> who besides the command office may take it
TRANSITION_ACTORS = {
    "approve": (),
    "withdraw": (),
    "start": ("implementer",),
    "suspend": ("implementer",),
    "resume": ("implementer",),
    "complete": ("implementer",),
    "accept": ("finance",),
    "reimburse": ("finance",),
}


def can_transition(user, project, action: str) -> bool:
    if is_command(user):
        return True
    actors = TRANSITION_ACTORS.get(action, ())
    return ("finance" in actors and is_finance(user)) or (
        "implementer" in actors and implements(user, project)
    )
