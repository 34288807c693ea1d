"""Rules catalogued with their metadata but not applicable until their data exists.

Every MN, VS and VL rule now runs in its own module; a rule whose inputs the register does not
hold yet goes here as (id, English title, severity, source, why) and is listed, never raised.
"""

from django.utils.translation import gettext_lazy as _lazy

from .registry import not_applicable

CATALOGUE: tuple[tuple[str, str, str, str, object], ...] = ()

for _id, _title, _severity, _source, _why in CATALOGUE:
    not_applicable(_id, _lazy(_title), severity=_severity, fields=(), source=_source, why=_why)
