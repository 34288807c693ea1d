"""One demo account per role and scope (password DEMO_PASSWORD), plus the superuser `admin`."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db.models import ProtectedError

from povertycase.accounts.models import Profile, Role

from .regions import Layout

DEMO_PASSWORD = "Fupin-2026"
HELPER_HOUSEHOLDS = 30
HELPER_PHONE = "13907651234"

# username -> (role, last name, first name)
DEMO_USERS = {
    "command": (Role.COMMAND, "张", "国栋"),
    "township": (Role.TOWNSHIP, "李", "文斌"),
    "village": (Role.VILLAGE, "刘", "晓东"),
    "helper": (Role.HELPER, "陈", "明远"),
    "department": (Role.DEPARTMENT, "杨", "海涛"),
    "inspector": (Role.INSPECTOR, "赵", "立军"),
    "admin": (Role.COMMAND, "", ""),
}
DEPARTMENT_NAME = "住建局"


def build_users(layout: Layout) -> dict:
    """Create or refresh the demo accounts; returns them by username."""
    encoded = make_password(DEMO_PASSWORD)  # hashed once: the default hasher is slow on purpose
    scopes = {
        "township": {"township": layout.home_township},
        "village": {"village": layout.home_village},
        "department": {"department": layout.departments[DEPARTMENT_NAME]},
    }
    users = {}
    for username, (role, last_name, first_name) in DEMO_USERS.items():
        superuser = username == "admin"
        user, _ = get_user_model().objects.update_or_create(
            username=username,
            defaults={
                "password": encoded,
                "first_name": first_name,
                "last_name": last_name,
                "is_staff": superuser,
                "is_superuser": superuser,
                "is_active": True,
            },
        )
        profile = {"township": None, "village": None, "department": None, **scopes.get(username, {})}
        profile["phone"] = HELPER_PHONE if username == "helper" else ""
        Profile.objects.update_or_create(user=user, defaults={"role": role, **profile})
        users[username] = user
    return users


def delete_users() -> list[str]:
    """Delete the demo accounts; those still referenced (imports, exports) are kept."""
    kept = []
    for user in get_user_model().objects.filter(username__in=DEMO_USERS):
        try:
            user.delete()
        except ProtectedError:
            kept.append(user.username)
    return kept
