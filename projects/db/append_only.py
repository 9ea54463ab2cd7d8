"""``AppendOnly``: a migration operation that makes a table append-only inside PostgreSQL.

Why in the database and not only in the services: a vote, a sign-off or a support is
evidence. The services never edit or delete such a row, but the admin, a shell, a script
or a bug could, and nobody would see it. A trigger makes the database itself refuse, so a
changed record cannot exist without someone having dropped the trigger first (a schema
change, visible in the migrations).

The trigger (``BEFORE UPDATE OR DELETE … FOR EACH ROW``) refuses every UPDATE and DELETE.
TRUNCATE fires no row trigger, so emptying a test database (Django's flush) still works.

``allow_once`` names the columns of a one-time settlement that happens on the row itself:
voiding a cast ballot (``voided_at``, ``voided_by``, ``void_reason``), withdrawing a
support. The FIRST column is the marker: an UPDATE passes only when the marker goes from
NULL to a value and no column outside ``allow_once`` changes. Once set, the row is frozen
again, so a void can be neither undone nor rewritten.

Only PostgreSQL gets the trigger; on other databases (SQLite in development and the
default test run) the operation does nothing, and the services' own rules apply. The
operation is reversible: going back drops the trigger and its function.

Parents of these rows must not cascade-delete them (Django's CASCADE deletes the children
with a DELETE the trigger refuses), nor SET_NULL into them: their foreign keys use PROTECT.
"""

from django.db.migrations.operations.base import Operation

FUNCTION_BODY = """
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    once text[] := {once};
BEGIN
    IF TG_OP = 'UPDATE' AND cardinality(once) > 0
       AND to_jsonb(OLD) -> once[1] = 'null'::jsonb
       AND to_jsonb(NEW) -> once[1] <> 'null'::jsonb
       AND (to_jsonb(NEW) - once) = (to_jsonb(OLD) - once) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% of a row of % refused: the table is append-only', TG_OP, TG_TABLE_NAME
        USING HINT = 'Record a correction as a new row.';
END;
$$;
"""

TRIGGER = "CREATE TRIGGER {trigger} BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {function}();"


def _names(table: str) -> tuple[str, str]:
    """Function and trigger names, within PostgreSQL's 63-character identifier limit."""
    base = table[:45]
    return f"{base}_append_only", f"{base}_append_only_trg"


class AppendOnly(Operation):
    """Make ``model_name``'s table append-only on PostgreSQL (see the module docstring)."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name: str, allow_once=()):
        self.model_name = model_name
        self.allow_once = list(allow_once)

    def deconstruct(self):
        kwargs = {"model_name": self.model_name}
        if self.allow_once:
            kwargs["allow_once"] = self.allow_once
        return self.__class__.__name__, [], kwargs

    def state_forwards(self, app_label, state):
        """The trigger is not part of Django's model state."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = to_state.apps.get_model(app_label, self.model_name)
        quote = schema_editor.quote_name
        table = model._meta.db_table
        function, trigger = _names(table)
        columns = [model._meta.get_field(name).column for name in self.allow_once]
        once = "ARRAY[" + ", ".join(f"'{column}'" for column in columns) + "]::text[]"
        # No parameters: the body holds %, which must not be read as placeholders.
        schema_editor.execute(FUNCTION_BODY.format(function=quote(function), once=once), params=None)
        schema_editor.execute(TRIGGER.format(trigger=quote(trigger), table=quote(table), function=quote(function)))

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = from_state.apps.get_model(app_label, self.model_name)
        quote = schema_editor.quote_name
        table = model._meta.db_table
        function, trigger = _names(table)
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {quote(trigger)} ON {quote(table)};")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {quote(function)}();")

    def describe(self):
        once = f" (once: {', '.join(self.allow_once)})" if self.allow_once else ""
        return f"Make {self.model_name} append-only on PostgreSQL{once}"

    @property
    def migration_name_fragment(self):
        return f"{self.model_name.lower()}_append_only"
