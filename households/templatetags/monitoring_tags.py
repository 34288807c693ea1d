"""The household page's monitoring panel: risk flags and the current case (three queries)."""

from django import template

from povertycase.core import codes

from ..models.monitoring import OPEN_STATES
from ..monitoring_flags import household_flags
from ..services.monitoring import can_register_clue

register = template.Library()


@register.simple_tag(takes_context=True)
def monitoring_panel(context, household):
    """Flags, the open case (else the latest closed one) and whether the user may register a clue."""
    user = context["request"].user
    cases = list(household.monitoring_cases.order_by("-clue_date", "-pk")[:10])
    current = next((c for c in cases if c.state in OPEN_STATES), cases[0] if cases else None)
    return {
        "flags": household_flags(household),
        "case": current,
        "risk_labels": "、".join(codes.label("monitor_risk", r) for r in current.risk_codes)
        if current
        else "",
        "case_count": len(cases),
        "can_register": can_register_clue(user) and not (current and current.is_open),
    }
