import os

import pytest

from tests.factories import DepartmentFactory, HouseholdFactory, TownshipFactory, UserFactory, VillageFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server"}


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or bool(
        TRANSACTIONAL_FIXTURES & set(item.fixturenames)
    )


@pytest.fixture(autouse=True)
def _default_data_after_flush(request):
    """Transactional tests flush every table, the rows data migrations loaded included.

    Serialized rollback cannot restore them here: Playwright's greenlet gives later tests
    a fresh connection object without the serialized copy. So the loaders run again.
    """
    if not _is_transactional(request.node):
        return
    request.getfixturevalue("transactional_db")
    from povertycase.core import codes
    from povertycase.core.loading import load_code_lists
    from povertycase.core.models import CodeList, Parameter
    from rectification.models import Category
    from rectification.taxonomy import load_sources, load_taxonomy

    if not CodeList.objects.exists():
        load_code_lists(CodeList, Parameter)
        load_sources(CodeList)
        codes.clear_cache()
    if not Category.objects.exists():
        load_taxonomy(Category)


@pytest.fixture
def county_layout(db):
    """Two townships with two villages each, one department, a household in every village."""
    t1, t2 = TownshipFactory(name="青石镇"), TownshipFactory(name="白云乡")
    villages = {
        "v11": VillageFactory(township=t1, name="青石村"),
        "v12": VillageFactory(township=t1, name="石门村"),
        "v21": VillageFactory(township=t2, name="白云村"),
        "v22": VillageFactory(township=t2, name="云岭村"),
    }
    households = {key: HouseholdFactory(village=v) for key, v in villages.items()}
    return {
        "townships": (t1, t2),
        "villages": villages,
        "households": households,
        "department": DepartmentFactory(),
    }


@pytest.fixture
def users(county_layout):
    """One user per role, scoped to township 1 / village v11 / the department."""
    t1, _ = county_layout["townships"]
    v11 = county_layout["villages"]["v11"]
    helper = UserFactory(username="helper1", role="helper")
    county_layout["households"]["v11"].helper = helper
    county_layout["households"]["v11"].save()
    return {
        "command": UserFactory(username="command1", role="command"),
        "township": UserFactory(username="township1", role="township", township=t1),
        "village": UserFactory(username="village1", role="village", village=v11),
        "helper": helper,
        "department": UserFactory(
            username="dept1", role="department", department=county_layout["department"]
        ),
        "inspector": UserFactory(username="inspector1", role="inspector"),
    }


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2 costs a third of a second per user; tests do not need the strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
