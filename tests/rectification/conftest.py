import pytest

from tests.rectification.factories import ItemFactory


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def item(county_layout, users):
    """Owned by township 1, with the township cadre as responsible person."""
    t1, _ = county_layout["townships"]
    return ItemFactory(responsible_township=t1, responsible_person=users["township"])


@pytest.fixture
def dept_item(county_layout, users):
    return ItemFactory(responsible_township=None, responsible_department=county_layout["department"])
