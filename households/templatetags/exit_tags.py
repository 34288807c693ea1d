"""The household page's exit panel: its procedures and the start button ({% exit_panel %})."""

from django import template
from django.utils import timezone

from households.checks.base import exited_codes
from households.exit_queries import with_progress
from households.models import ExitProcedure, ExitStepNumber
from households.services.exit import NATURAL_DECREASE, can_start_exit

register = template.Library()


@register.inclusion_tag("households/_exit_panel_body.html", takes_context=True)
def exit_panel(context, household):
    user = context["request"].user
    year = timezone.localdate().year
    procedures = list(with_progress(ExitProcedure.objects.filter(household=household)).order_by("-year"))
    labels = dict(ExitStepNumber.choices)
    for procedure in procedures:
        procedure.reached_label = labels.get(procedure.reached, "")
    startable = (
        household.exit_status not in exited_codes()
        and household.exit_status != NATURAL_DECREASE
        and all(p.year != year for p in procedures)
    )
    return {
        "household": household,
        "procedures": procedures,
        "year": year,
        "can_start": startable and can_start_exit(user, household, in_scope=True),
        "csrf_token": context.get("csrf_token"),
    }
