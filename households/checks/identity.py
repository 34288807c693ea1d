"""ID-001…ID-009: the resident ID number and what it encodes (DOMAIN.md §9.1, §2.15)."""

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Length, Lower, Mod, Substr, Upper
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from households.codefields import ACTIVE_STATUS
from households.models import County, Member
from povertycase.idnumbers import FEMALE, MALE, PLACEHOLDER_PREFIX

from .base import digits, member_hits, ymd
from .registry import BLANK_IS_ERROR, ERROR, WARNING, Param, rule

WELL_FORMED = r"^[0-9]{17}[0-9X]$"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _guarded(expression, column: str = "id_number"):
    """`expression` only for well-formed numbers: casting an 'X' to integer fails on PostgreSQL."""
    return Case(
        When(**{f"{column}__regex": WELL_FORMED}, then=expression), default=None, output_field=IntegerField()
    )


def _with_id(ctx):
    return ctx.members().filter(id_number__isnull=False).exclude(id_number="")


@rule(
    "ID-001",
    _lazy("ID number is not 18 characters of digits (last may be X)"),
    severity=ERROR,
    fields=("id_number",),
    source="fp 1_01_002",
)
def id_length(ctx):
    bad = _with_id(ctx).filter(~Q(id_number__regex=WELL_FORMED))
    return member_hits(ctx, bad.annotate(n=Length("id_number")))


@rule(
    "ID-002",
    _lazy("ID number check character is wrong (MOD 11-2)"),
    severity=ERROR,
    fields=("id_number",),
    source="GB 11643; fp 1_01_003, 1_12_002",
)
def id_check_character(ctx):
    total = sum(digits("id_number", i + 1, 1) * Value(w) for i, w in enumerate(WEIGHTS))
    check = Case(
        When(id_number__endswith="X", then=Value(10)),
        default=digits("id_number", 18, 1),
        output_field=IntegerField(),
    )
    rows = _with_id(ctx).annotate(rest=_guarded(Mod(total + check, Value(11))))
    return member_hits(ctx, rows.filter(rest__isnull=False).exclude(rest=1))


@rule(
    "ID-003",
    _lazy("Birth date in the ID number is impossible (not a date, before 1900, in the future or over 110)"),
    severity=ERROR,
    fields=("id_number",),
    source="GB 11643",
)
def id_birth_date(ctx):
    today = ctx.today
    rows = _with_id(ctx).annotate(
        y=_guarded(digits("id_number", 7, 4)),
        m=_guarded(digits("id_number", 11, 2)),
        d=_guarded(digits("id_number", 13, 2)),
        born=_guarded(digits("id_number", 7, 8)),
    )
    impossible = (
        Q(y__lt=1900)
        | Q(m__lt=1)
        | Q(m__gt=12)
        | Q(d__lt=1)
        | Q(d__gt=31)
        | Q(born__gt=today.year * 10000 + today.month * 100 + today.day)
        | Q(y__lt=today.year - 110)
    )
    return member_hits(ctx, rows.filter(y__isnull=False).filter(impossible))


@rule(
    "ID-004",
    _lazy("ID number missing or a 999999 placeholder"),
    severity=ERROR,
    fields=("id_number",),
    source="fp 4_01_003",
    blank=BLANK_IS_ERROR,
    blank_note=_lazy("A missing ID number is what this rule reports."),
)
def id_missing(ctx):
    bad = ctx.members().filter(
        Q(id_number__isnull=True) | Q(id_number="") | Q(id_number__startswith=PLACEHOLDER_PREFIX)
    )
    return member_hits(ctx, bad)


@rule(
    "ID-005",
    _lazy("Disability certificate number malformed (ID part, category 1–7, level 1–4)"),
    severity=ERROR,
    fields=("disability_cert",),
    source="fp 1_01_004, 1_12_004",
)
def disability_number(ctx):
    rows = ctx.members().exclude(disability_cert="").annotate(n=Length("disability_cert"))
    bad = (
        ~Q(n__in=(20, 22))
        | ~Q(disability_cert__regex=r"^[0-9]{17}[0-9X][1-7][1-4]")
        | (Q(id_number__isnull=False) & ~Q(disability_cert__startswith=Upper("id_number")))
    )
    return member_hits(ctx, rows.filter(bad))


@rule(
    "ID-006",
    _lazy("Sex or birth date differs from the ID number"),
    severity=ERROR,
    fields=("sex", "birth_date", "id_number"),
    source="GB 11643",
)
def id_sex_birth(ctx):
    rows = _with_id(ctx).annotate(
        parity=_guarded(Mod(digits("id_number", 17, 1), Value(2))), born=_guarded(digits("id_number", 7, 8))
    )
    rows = rows.filter(parity__isnull=False)
    sex_differs = (Q(sex=MALE) & Q(parity=0)) | (Q(sex=FEMALE) & Q(parity=1))
    birth_differs = Q(birth_date__isnull=False) & ~Q(born=ymd("birth_date"))
    return member_hits(ctx, rows.filter(sex_differs | birth_differs))


@rule(
    "ID-007",
    _lazy("The same ID number is registered twice in the county"),
    severity=ERROR,
    fields=("id_number",),
    source="fp 1_01_001",
)
def id_duplicate(ctx):
    # Equality per spelling of the final X keeps the unique index on id_number in use.
    same = Q(id_number=OuterRef("id_number")) | Q(id_number=Upper(OuterRef("id_number")))
    same |= Q(id_number=Lower(OuterRef("id_number")))
    other = Member.objects.filter(same, status=ACTIVE_STATUS).exclude(pk=OuterRef("pk"))
    return member_hits(ctx, _with_id(ctx).filter(Exists(other)))


@rule(
    "ID-008",
    _lazy(
        "Same name and birth date in another household with a different ID number (possible duplicate person)"
    ),
    severity=WARNING,
    fields=("name", "birth_date"),
    source="nat",
)
def same_person_elsewhere(ctx):
    twin = Member.objects.filter(
        name=OuterRef("name"), birth_date=OuterRef("birth_date"), status=ACTIVE_STATUS
    ).exclude(household=OuterRef("household"))
    twin = twin.filter(~Q(id_number=OuterRef("id_number")) | Q(id_number__isnull=True))
    rows = ctx.members().filter(birth_date__isnull=False).exclude(name="").filter(Exists(twin))
    return member_hits(ctx, rows)


@rule(
    "ID-009",
    _lazy("Region part of the ID number is not a known GB/T 2260 code"),
    severity=WARNING,
    fields=("id_number",),
    source="GB/T 2260",
    params=(Param("extra_known_regions", [], _lazy("region codes also accepted")),),
)
def id_region(ctx):
    from stdnum import numdb

    rows = _with_id(ctx).filter(id_number__regex=WELL_FORMED).annotate(region=Substr("id_number", 1, 6))
    known = set(County.objects.values_list("code", flat=True)) | set(
        ctx.params.get("extra_known_regions") or []
    )
    table = numdb.get("cn/loc")
    regions = set(rows.values_list("region", flat=True).distinct())
    unknown = [r for r in regions if r not in known and not _known_county(table, r)]
    return member_hits(ctx, rows.filter(region__in=unknown), _("region code not in GB/T 2260"))


def _known_county(table, region: str) -> bool:
    merged = {k: v for _part, props in table.info(region) for k, v in props.items()}
    return "county" in merged
