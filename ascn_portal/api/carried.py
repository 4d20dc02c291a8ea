"""Rows that carry a field of a related record change when that field does (for `updated_since`).

A partnership shows its project's title and its city's slug, a twinning its partner's slug: when
one of those changes, the row a mirror keeps is out of date, so its `updated_at` must move too, or
`updated_since` would not give it again. PostgreSQL does it, whatever writes the related record (a
service, the admin, `update()`, SQL by hand), in the same transaction, as it keeps the catalogue's
facts (decision 10a). Migrations create the triggers with these two statements:

- `when_changed(name, table, columns, touch)`: after an UPDATE of `table` that changes one of
  `columns`, run `touch` (SQL reading `NEW` and `OLD`).
- `when_written(name, table, touch)`: after any INSERT, UPDATE or DELETE of a row of `table` (a
  consortium member, a registration, a focus area added), run `touch` for the row as it was (`OLD`)
  and as it is (`NEW`): write it with `ROW` where the row goes.

`clock_timestamp()`, not `now()`: the time of the write, as `auto_now` gives, not the transaction's start.
"""

NOW = "clock_timestamp()"


def when_changed(name: str, table: str, columns: list[str], touch: str) -> tuple[str, str]:
    changed = " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in columns)
    forward = f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {touch};
    RETURN NULL;
END $$;
CREATE TRIGGER {name} AFTER UPDATE ON {table}
    FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION {name}();
"""
    return forward, _drop(name, table)


def when_written(name: str, table: str, touch: str) -> tuple[str, str]:
    forward = f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    written RECORD;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        written := OLD;
        {touch.replace("ROW.", "written.")};
    END IF;
    IF TG_OP <> 'DELETE' THEN
        written := NEW;
        {touch.replace("ROW.", "written.")};
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {name}();
"""
    return forward, _drop(name, table)


def _drop(name: str, table: str) -> str:
    return f"DROP TRIGGER IF EXISTS {name} ON {table}; DROP FUNCTION IF EXISTS {name}();"
