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


def ensure_ledger_defaults():
    """Data-migration rows vanish after a transactional (browser) test flushes the tables."""
    from povertycase.core import codes
    from povertycase.core.models import CodeList
    from rectification.models import Category
    from rectification.taxonomy import load_sources, load_taxonomy

    if not CodeList.objects.filter(list="rect_source").exists():
        load_sources(CodeList)
        codes.clear_cache()
    if not Category.objects.filter(code="0701").exists():
        load_taxonomy(Category)


@pytest.fixture(autouse=True)
def ledger_defaults(request):
    if "db" in request.fixturenames or "transactional_db" in request.fixturenames:
        ensure_ledger_defaults()
