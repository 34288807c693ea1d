"""One demo account per role and scope (password DEMO_PASSWORD), plus the superuser `admin`, and the
home township's Party secretary and head (township accounts with a leading post, VS-005)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.models import ProtectedError, Q

from households.models import VillageTrip
from povertycase.accounts.models import LeaderPost, Profile, Role

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
    "secretary": (Role.TOWNSHIP, "王", "建华"),
    "mayor": (Role.TOWNSHIP, "孙", "志强"),
}
LEADER_POSTS = {"secretary": LeaderPost.SECRETARY, "mayor": LeaderPost.MAYOR}
LEADER_PHONES = {"secretary": "13937651001", "mayor": "13937651002"}
DEPARTMENT_NAME = "住建局"


def build_users(layout: Layout) -> dict:
    """Create or refresh the demo accounts; returns them by username."""
    encoded = make_password(DEMO_PASSWORD)  # hashed once: the default hasher is slow on purpose
    scopes = {
        "township": {"township": layout.home_township},
        "secretary": {"township": layout.home_township},
        "mayor": {"township": layout.home_township},
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
        profile["phone"] = HELPER_PHONE if username == "helper" else LEADER_PHONES.get(username, "")
        profile["leader_post"] = LEADER_POSTS.get(username, "")
        Profile.objects.update_or_create(user=user, defaults={"role": role, **profile})
        users[username] = user
    return users


def delete_users() -> list[str]:
    """Delete the demo accounts; those still referenced (imports, exports) are kept."""
    kept = []
    demo_users = get_user_model().objects.filter(username__in=DEMO_USERS)
    delete_demo_trips(demo_users)
    for user in demo_users:
        try:
            user.delete()
        except ProtectedError:
            kept.append(user.username)
    return kept


def delete_demo_trips(demo_users) -> None:
    """Village trips hold their leader and typist with PROTECT: the demo accounts' trips (and their
    trail) go first, as plain DELETEs like the register's (writer.wipe_register)."""
    ids = list(demo_users.values_list("pk", flat=True))
    for model in (VillageTrip, VillageTrip.history.model):
        rows = model.objects.filter(Q(leader_id__in=ids) | Q(created_by_id__in=ids))
        rows._raw_delete(connection.alias)
