"""Store plans in bulk with their creation history, and wipe the register for --reset."""

from django.db import connection, models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from households.models import AssistanceMeasure, Household, IncomeRecord, Member

BATCH_SIZE = 2000
CHANGE_REASON = "seed_demo"
REGISTER_MODELS = (AssistanceMeasure, IncomeRecord, Member, Household)  # children first


def save_plans(plans, *, when=None) -> None:
    """Households first (their ids are needed), then members, incomes and measures."""
    when = when or timezone.now()
    _bulk(Household, [p.household for p in plans], when)
    for plan in plans:  # the instances now carry their ids; re-point the children at them
        for child in (*plan.members, plan.income, *plan.measures):
            child.household = plan.household
    _bulk(Member, [m for p in plans for m in p.members], when)
    _bulk(IncomeRecord, [p.income for p in plans], when)
    _bulk(AssistanceMeasure, [m for p in plans for m in p.measures], when)


def _bulk(model, objs, when) -> None:
    if not objs:
        return
    bulk_create_with_history(
        objs, model, batch_size=BATCH_SIZE, default_change_reason=CHANGE_REASON, default_date=when
    )


@transaction.atomic
def wipe_register() -> None:
    """Delete every household with its members, income, measures and their history.

    Row by row deletion would write a history row per deleted object; the register's own
    tables are emptied with plain DELETEs instead, after rows of other apps that point at
    them were deleted (or unlinked) through the ORM.
    """
    for model in REGISTER_MODELS:
        _release(model)
    for model in REGISTER_MODELS:
        model.objects.all()._raw_delete(connection.alias)
        model.history.model.objects.all()._raw_delete(connection.alias)


def _release(model) -> None:
    for rel in model._meta.related_objects:
        related = rel.related_model
        if related in REGISTER_MODELS or rel.on_delete is models.DO_NOTHING or rel.many_to_many:
            continue
        rows = related._base_manager.filter(**{f"{rel.field.name}__isnull": False})
        if rel.on_delete is models.SET_NULL:
            rows.update(**{rel.field.name: None})
        else:
            rows.delete()
