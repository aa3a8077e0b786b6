"""One item's trend chart in constant time: see `Inspection.Meta.indexes` and `MEASURED`.

On PostgreSQL:
- Covering indexes: the columns the chart reads ride along as non-key columns (INCLUDE), so its
  walk is index-only. SQLite has no INCLUDE (and warns when a model declares one), so the
  models declare the keys only and this migration adds the rest where it exists.
- Built CONCURRENTLY: a plain CREATE INDEX stops every write to the table while it reads all of
  it (minutes for the characteristics at ten million inspections), so the sync would wait
  behind a deploy. CONCURRENTLY cannot run in a transaction, hence `atomic = False`; a build
  that was interrupted leaves an INVALID index of the same name, dropped first.
Elsewhere (SQLite in development and tests) they are built plainly, keys only, and without
NULLS LAST, which SQLite refuses in an index and needs none of: it sorts NULLs first going up,
so last going down, as the chart orders them.
"""

import django.db.models.functions.comparison
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models

MEASURED = models.Q(
    ("recorded_numeric__isnull", False),
    models.Q(("is_quantitative", False), _negated=True),
    models.Q(("value_type", "choice"), _negated=True),
)


class AddCoveringIndex(AddIndexConcurrently):
    """The model's index; on PostgreSQL built concurrently with `include` as non-key columns."""

    def __init__(self, model_name, index, include=()):
        super().__init__(model_name, index)
        self.include = tuple(include)

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, args, {**kwargs, "include": self.include}

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        if schema_editor.connection.vendor != "postgresql":
            schema_editor.add_index(model, _without_nulls_order(self.index))
            return
        self._ensure_not_in_transaction(schema_editor)
        covering = self.index.clone()
        covering.include = self.include
        schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{self.index.name}"')
        schema_editor.add_index(model, covering, concurrently=True)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            migrations.AddIndex.database_backwards(
                self, app_label, schema_editor, from_state, to_state
            )
            return
        super().database_backwards(app_label, schema_editor, from_state, to_state)


def _without_nulls_order(index):
    plain = [
        models.OrderBy(e.expression, descending=e.descending)
        if isinstance(e, models.OrderBy)
        else e
        for e in index.expressions
    ]
    return (
        models.Index(*plain, fields=index.fields, condition=index.condition, name=index.name)
        if plain
        else index
    )


def trend_time():
    return models.OrderBy(
        django.db.models.functions.comparison.Coalesce("request_date", "created_at"),
        descending=True,
        nulls_last=True,
    )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("inspections", "0009_supplier_name"),
    ]

    operations = [
        AddCoveringIndex(
            model_name="inspection",
            index=models.Index(
                models.F("item_id"),
                trend_time(),
                models.OrderBy(models.F("coupa_id"), descending=True),
                condition=models.Q(("gone_at__isnull", True)),
                name="inspection_item_trend",
            ),
            include=["supplier_id", "request_date", "created_at"],
        ),
        AddCoveringIndex(
            model_name="inspection",
            index=models.Index(
                models.F("item_id"),
                models.F("supplier_id"),
                trend_time(),
                models.OrderBy(models.F("coupa_id"), descending=True),
                condition=models.Q(("gone_at__isnull", True)),
                name="inspection_item_supplier_trend",
            ),
            include=["request_date", "created_at"],
        ),
        AddCoveringIndex(
            model_name="characteristic",
            index=models.Index(
                condition=MEASURED,
                fields=["inspection", "name"],
                name="characteristic_measured",
            ),
            include=["coupa_id", "recorded_numeric", "precision"],
        ),
    ]
