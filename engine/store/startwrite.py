"""Write a new case on PostgreSQL in one statement (data-modifying CTEs), like a step (``engine.store.stepwrite``).

The statement checks that the definition the case was built on is still the latest of its key (a cached
lookup, ``engine.store.definitions.latest``, may be older than a deploy from another process), bumps the
year's counter, inserts the case with its 案号 made from the counter, its dates, task rows and events. When
the definition is no longer the latest it writes nothing and ``start`` returns None: the caller reads the
definition again. SQLite keeps the plain statements (``engine.cases.step``).
"""

from datetime import date, datetime

from sqlalchemy import Connection, text

from engine.store.stepwrite import json_param as _json
from engine.store.wire import first_row

_STATEMENTS: dict[tuple[str, ...], object] = {}

_HEAD = """
WITH def AS (
    SELECT d.id FROM process_definitions d
    WHERE d.id = :definition_id AND d.key = :process_key AND d.version = :def_version
      AND d.content_hash = :content_hash
      AND NOT EXISTS (SELECT 1 FROM process_definitions n WHERE n.key = :process_key AND n.version > :def_version)
), counter AS (
    INSERT INTO case_counters (year, last) SELECT CAST(:year AS integer), 1 FROM def
    ON CONFLICT (year) DO UPDATE SET last = case_counters.last + 1
    RETURNING last
), saved AS (
    INSERT INTO cases (case_number, number_year, number_seq, state, COLUMNS)
    SELECT CAST(:number_head AS text) || CASE WHEN c.last < 10000 THEN lpad(c.last::text, 4, '0') ELSE c.last::text END
           || CAST(:number_tail AS text), CAST(:year AS integer), c.last, CAST(:state AS text), VALUES
    FROM counter c, jsonb_populate_record(NULL::cases, CAST(:row AS jsonb)) AS r
    RETURNING id, case_number
), dated AS (
    INSERT INTO case_dates (case_id, name, day, set_by, set_at)
    SELECT s.id, x.name, x.day, CAST(:actor AS text), CAST(:at AS timestamptz)
    FROM saved s, jsonb_to_recordset(CAST(:dates AS jsonb)) AS x(name text, day date)
    RETURNING case_id
), created AS (
    INSERT INTO tasks (id, case_id, element_id, name, process_key, candidate_group, status, form_key,
                       created_at, due_at, assignee, claimed_at)
    SELECT x.id, s.id, x.element_id, x.name, x.process_key, x.candidate_group, x.status, x.form_key,
           x.created_at, x.due_at, x.assignee, x.claimed_at
    FROM saved s, jsonb_to_recordset(CAST(:new_tasks AS jsonb)) AS x(id text, element_id text, name text,
         process_key text, candidate_group text, status text, form_key text, created_at timestamptz,
         due_at timestamptz, assignee text, claimed_at timestamptz)
    RETURNING id
), logged AS (
    INSERT INTO case_events (case_id, at, actor, kind, task_id, data)
    SELECT s.id, x.at, x.actor, x.kind, x.task_id,
           CASE WHEN x.kind = 'case_started' THEN x.data || jsonb_build_object('number', s.case_number)
                ELSE x.data END
    FROM saved s, jsonb_to_recordset(CAST(:events AS jsonb)) AS x(at timestamptz, actor text, kind text,
         task_id text, data jsonb)
    RETURNING id
)
SELECT id, case_number FROM saved
"""


def _statement(columns: tuple[str, ...]):
    """The statement for this set of case columns (built once per set). The values come in one jsonb parameter
    read as a ``cases`` record: any column works, and the statement keeps under psycopg's 50 parameters."""
    stmt = _STATEMENTS.get(columns)
    if stmt is None:
        stmt = text(_HEAD.replace("COLUMNS", ", ".join(columns)).replace("VALUES", ", ".join(f"r.{c}" for c in columns)))
        _STATEMENTS[columns] = stmt
    return stmt



def start(conn: Connection, *, definition, values: dict, number_head: str, number_tail: str, year: int,
          dates: dict[str, date], new_tasks: list[dict], events: list[dict], actor: str | None,
          at: datetime) -> tuple[int, str] | None:
    """(case id, 案号) of the case written, or None when ``definition`` is not the latest of its key any more.

    ``values``: the case row's columns (any of ``cases``), but its number; the number is ``number_head`` +
    the year's next sequence number (at least 4 digits) + ``number_tail``. The ``case_started`` event gets
    the number in its data.
    """
    row = {c: v for c, v in values.items() if c not in ("case_number", "number_year", "number_seq", "state")}
    params = dict(state=values["state"], row=_json(row))
    params.update(
        definition_id=definition.id, process_key=definition.key, def_version=definition.version,
        content_hash=definition.content_hash, year=year, number_head=number_head, number_tail=number_tail,
        actor=actor, at=at, dates=_json([{"name": k, "day": v} for k, v in dates.items()]),
        new_tasks=_json(new_tasks), events=_json([{k: e[k] for k in ("at", "actor", "kind", "task_id", "data")}
                                                  for e in events]),
    )
    done = first_row(conn, _statement(tuple(sorted(row))), params)
    return (done.id, done.case_number) if done is not None else None
