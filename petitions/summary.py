"""Counts of petitions by channel, category, state, overdue and satisfaction (one query each)."""

import datetime

from django.db.models import Count, QuerySet

from povertycase.core import codes

from .models import Petition, Satisfaction, State


def _counted(qs: QuerySet, field: str) -> list[tuple]:
    return list(qs.order_by().values_list(field).annotate(n=Count("pk")).order_by(field))


def petitions_summary(*, date_from=None, date_to=None, today: datetime.date) -> dict:
    qs = Petition.objects.all()
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    states, satisfactions = dict(State.choices), dict(Satisfaction.choices)
    categories = {
        code: f"{code} {name}" for code, name in qs.values_list("category__code", "category__name").distinct()
    }
    return {
        "from": date_from.isoformat() if date_from else None,
        "to": date_to.isoformat() if date_to else None,
        "total": qs.count(),
        "by_channel": {codes.label("petition_channel", c): n for c, n in _counted(qs, "channel")},
        "by_category": {categories[c]: n for c, n in _counted(qs, "category__code")},
        "by_state": {str(states.get(s, s)): n for s, n in _counted(qs, "state")},
        "overdue": qs.overdue(today).count(),
        "by_satisfaction": {
            str(satisfactions[s]): n for s, n in _counted(qs.exclude(satisfaction=""), "satisfaction")
        },
    }
