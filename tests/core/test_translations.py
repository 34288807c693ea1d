"""The zh_Hans catalogues under locale/<area>/ are merged by Django, the first folder winning:
one English text translated two ways would silently show the other app's wording."""

from collections import defaultdict
from pathlib import Path

import polib
from django.conf import settings
from django.utils import translation

CATALOGUES = sorted(Path(settings.BASE_DIR, "locale").glob("*/zh_Hans/LC_MESSAGES/django.po"))


def test_every_area_has_a_catalogue():
    assert {p.parts[-4] for p in CATALOGUES} >= {"checks", "excel", "register", "rectification"}


def test_no_text_is_translated_two_ways():
    translations = defaultdict(dict)
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)):
            if entry.msgstr and not entry.obsolete:
                translations[(entry.msgctxt, entry.msgid)][path.parts[-4]] = entry.msgstr
    conflicts = {key: areas for key, areas in translations.items() if len(set(areas.values())) > 1}
    assert not conflicts, conflicts


def test_default_language_is_simplified_chinese():
    assert settings.LANGUAGE_CODE == "zh-hans"
    with translation.override("zh-hans"):
        assert translation.gettext("Household register") != "Household register"
