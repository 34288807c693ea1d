"""The sample's field sheet (抽查名单), written through the one shared Excel writer."""

from django.utils import timezone
from django.utils.translation import gettext as _

from povertycase.excel import Column, write_sheet

from .queries import sample_entries


def sample_columns() -> list[Column]:
    return [
        Column(_("No."), 6, "int"),
        Column(_("Township"), 12),
        Column(_("Village"), 12),
        Column(_("Household number"), 22),
        Column(_("Head of household"), 12),
        Column(_("Household size"), 8, "int"),
        Column(_("Exited"), 8),
        Column(_("Remote village"), 8),
        Column(_("Identification accurate"), 10),
        Column(_("Exit accurate"), 10),
        Column(_("Satisfied"), 10),
        Column(_("Knows the policies"), 10),
        Column(_("Problems found"), 40),
    ]


def _yes_no(value) -> str:
    return "" if value is None else (_("Yes") if value else _("No"))


def sample_rows(sample):
    for entry in sample_entries(sample).iterator(chunk_size=500):
        household, village = entry.household, entry.household.village
        result = getattr(entry, "result", None)
        yield [
            entry.position,
            village.township.name,
            village.name,
            household.number,
            household.head_name,
            household.member_count,
            _yes_no(entry.exited),
            _yes_no(village.is_remote),
            _yes_no(result and result.identification_accurate),
            _yes_no(result and result.exit_accurate),
            _yes_no(result and result.satisfied),
            _yes_no(result and result.knows_policies),
            result.problems if result else "",
        ]


def write_sample(target, *, sample) -> int:
    title = _("Spot-check list: %(title)s") % {"title": sample.title}
    subtitle = _("Seed %(seed)s · rate %(rate)s%% · remote factor %(factor)s · exported %(date)s") % {
        "seed": sample.seed,
        "rate": f"{sample.rate * 100:g}",
        "factor": f"{sample.remote_factor:g}",
        "date": f"{timezone.localdate():%Y-%m-%d}",
    }
    return write_sheet(
        target,
        sheet_name=_("Sample"),
        columns=sample_columns(),
        rows=sample_rows(sample),
        title_lines=[title, subtitle],
    )
