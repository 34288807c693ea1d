"""MB-024…MB-026, MB-029, MB-031: work records, public-welfare posts and measures per member."""

from django.utils.translation import gettext_lazy as _lazy

from .registry import ERROR, WARNING, not_applicable

_WHY_WORK = _lazy("not applicable: the register has no work records, posts or planned work yet")
for _id, _title, _sev, _fields, _source, _why in (
    (
        "MB-024",
        _lazy("公益性岗位 under 16 or aged 70 and over"),
        ERROR,
        ("public_post",),
        "fp 3_01_008, 5_12_004, 5_01_006, 5_12_005",
        _WHY_WORK,
    ),
    (
        "MB-025",
        _lazy("Three or more 公益性岗位, or a post without hiring date or months"),
        ERROR,
        ("public_post",),
        "fp 3_01_005/006/010/011, 5_15_003",
        _WHY_WORK,
    ),
    (
        "MB-026",
        _lazy("公益性岗位 or 就业帮扶 for a member without labour"),
        WARNING,
        ("public_post",),
        "fp 5_15_006/007",
        _lazy("not applicable: measures are not recorded per member yet"),
    ),
    (
        "MB-029",
        _lazy("Work record incomplete or implausible"),
        ERROR,
        ("work records",),
        "fp 3_12_001, 5_12_001, 5_16_010, 1111_12/16/17, 4_12_001, 5_16_001/002",
        _WHY_WORK,
    ),
    (
        "MB-031",
        _lazy("雨露计划 for a member who is not a 中职/高职 student (or missing for one)"),
        ERROR,
        ("measures per member",),
        "fp 5_15_011/012, 1111_2",
        _lazy("not applicable: 雨露计划 is not recorded per member yet"),
    ),
):
    not_applicable(_id, _title, severity=_sev, fields=_fields, source=_source, why=_why)
