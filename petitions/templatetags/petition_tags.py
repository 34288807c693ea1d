from django import template
from django.utils import timezone

from petitions import privacy, rules
from petitions.queries import petitions_of_household

register = template.Library()


@register.simple_tag(takes_context=True)
def household_petitions(context, household) -> dict:
    user = context["request"].user
    petitions = petitions_of_household(user, household)
    return {
        "rows": [(p, privacy.complainant(user, p)) for p in petitions],
        "can_register": rules.can_register(user),
        "today": timezone.localdate(),
    }
