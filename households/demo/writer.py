"""Store plans in bulk with their creation history, and wipe the register for --reset.

Rows go in through `executemany` with ids assigned here: Django's bulk_create compiles
each batch through the ORM and, on SQLite, splits it into ~30-row statements (999
parameters), which made 50,000 households take minutes. The history rows are the same
"+" records simple_history writes, with one shared date and change reason.
"""

from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.models import Max
from django.utils import timezone

from households.models import (
    AssistanceMeasure,
    Household,
    IncomeRecord,
    LivingConditions,
    Member,
    PublicPost,
    WorkRecord,
)

BATCH_SIZE = 2000
SQLITE_CACHE_KB = 256 * 1024
CHANGE_REASON = "seed_demo"
REGISTER_MODELS = (  # children first
    WorkRecord,
    PublicPost,
    LivingConditions,
    AssistanceMeasure,
    IncomeRecord,
    Member,
    Household,
)


class Inserter:
    """Next free ids per model; `close()` moves the database sequences past them."""

    def __init__(self, when=None):
        self.when = when or timezone.now()
        self.next_id = {}
        self.used = set()
        if connection.vendor == "sqlite":
            # The default 2 MB page cache thrashes on the unique indexes once the register
            # outgrows it; this connection-only setting keeps 50,000 households linear.
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KB}")

    def save_plans(self, plans) -> None:
        """Households first (their ids are needed), then members, incomes and measures."""
        self.insert(Household, [p.household for p in plans])
        for plan in plans:
            for child in (*plan.members, plan.income, *plan.measures):
                child.household = plan.household
        self.insert(Member, [m for p in plans for m in p.members])
        self.insert(IncomeRecord, [p.income for p in plans])
        self.insert(AssistanceMeasure, [m for p in plans for m in p.measures])

    def insert(self, model, objs) -> None:
        if not objs:
            return
        start = self._next(model)
        for offset, obj in enumerate(objs):
            obj.pk = start + offset
            obj._state.adding, obj._state.db = False, connection.alias
        self.next_id[model] = start + len(objs)
        self.used.add(model)
        fields = model._meta.concrete_fields
        _execute(model._meta.db_table, fields, [self._values(fields, obj) for obj in objs])
        self._history(model, objs)

    def _history(self, model, objs) -> None:
        history = model.history.model
        tracked = history.tracked_fields
        meta = history._meta
        extra = [meta.get_field(name) for name in ("history_date", "history_change_reason", "history_type")]
        rows = [
            [*self._values(tracked, obj), self.when, CHANGE_REASON, "+"]  # fields of `extra`, in order
            for obj in objs
        ]
        _execute(meta.db_table, [*tracked, *extra], rows)

    def _values(self, fields, obj) -> list:
        values = []
        for field in fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                setattr(obj, field.attname, self.when)
            values.append(getattr(obj, field.attname))
        return values

    def _next(self, model) -> int:
        if model not in self.next_id:
            self.next_id[model] = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        return self.next_id[model]

    def close(self) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.used))
        if connection.vendor == "postgresql":
            # Planner statistics of the fresh rows now, not whenever autovacuum gets to them.
            tables = [m._meta.db_table for m in self.used] + [
                m.history.model._meta.db_table for m in self.used
            ]
            statements.append("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _execute(table: str, fields, rows) -> None:
    """executemany on SQLite (fast there); COPY on PostgreSQL, where row-by-row is slow."""
    conn = connections[DEFAULT_DB_ALIAS]  # the proxy `connection` costs a lookup per access
    quote = conn.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    prepared = _prepare(fields, rows, conn)
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
                for row in prepared:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {quote(table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        for start in range(0, len(prepared), BATCH_SIZE):
            cursor.executemany(sql, prepared[start : start + BATCH_SIZE])


def _prepare(fields, rows, conn) -> list[list]:
    """Values the driver cannot take as they are go through their field first: dates and
    times on SQLite (stored as text), JSON everywhere; psycopg adapts the rest itself."""
    wanted = {"JSONField"} | (
        {"DateField", "DateTimeField", "TimeField"} if conn.vendor == "sqlite" else set()
    )
    convert = [i for i, f in enumerate(fields) if f.get_internal_type() in wanted]
    if not convert:
        return rows
    prepared = []
    for row in rows:
        row = list(row)
        for i in convert:
            if row[i] is not None:
                row[i] = fields[i].get_db_prep_save(row[i], conn)
        prepared.append(row)
    return prepared


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
