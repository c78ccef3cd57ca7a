"""Write one engine step: the task completion, the case row, new/cancelled tasks, events.

On PostgreSQL this is a single statement (data-modifying CTEs), so a step costs one
round trip to read (the locked case) and one to write, plus the commit. Elsewhere
(SQLite, in-process) it is a handful of plain statements.
"""

from datetime import date, datetime
from decimal import Decimal
from functools import partial

from sqlalchemy import Connection, text

from engine.core import jsontext
from engine.core.errors import Conflict
from engine.store import cases as case_store
from engine.store import deadlines as deadline_store
from engine.store import events as event_store
from engine.store import tasks as task_store
from engine.store import wire

# Case columns a step writes only when given (None keeps the row's value).
_KEEP_WHEN_NONE = ("definition_id", "received_on")
TASK_COLUMNS = ("id", "case_id", "element_id", "name", "process_key", "candidate_group", "status", "form_key",
                "created_at", "due_at", "assignee", "claimed_at")

# The case row's new values come in one jsonb parameter (``:row``), read as a ``cases`` record, so any column
# in a step's ``values`` is written and the statement stays short, with few parameters: psycopg caches the
# conversion of a query of at most 4096 bytes and 50 parameters, and converts a longer one on every call.
# A step sends only the branches its shape needs (no cancelled tasks: no ``cancelled``; no timer change: no
# timer branch; ...): a branch that writes nothing still costs PostgreSQL its scans and its plan. The shapes
# are few (see ``_statement``), each statement is built once, so psycopg prepares each after a few calls.
_DONE = """done AS (
 UPDATE tasks SET status = 'completed', completed_at = :at, completed_by = :actor
 WHERE id = :completed_id AND status IN ('ready', 'claimed')
 RETURNING id
), """
_SAVED = """saved AS (
 UPDATE cases SET revision = cases.revision + 1, state = :state, ASSIGN
 FROM jsonb_populate_record(NULL::cases, CAST(:row AS jsonb)) AS r
 WHERE cases.id = :case_id AND cases.revision = :revision DONE
 RETURNING cases.id
)"""
_BRANCHES = {
    "cancelled": """, cancelled AS (
 UPDATE tasks SET status = 'cancelled', completed_at = :at
 WHERE id = ANY(CAST(:cancelled AS text[])) AND status IN ('ready', 'claimed') AND EXISTS (SELECT 1 FROM saved)
 RETURNING id
)""",
    "created": """, created AS (
 INSERT INTO tasks (id, case_id, element_id, name, process_key, candidate_group, status, form_key,
  created_at, due_at, assignee, claimed_at)
 SELECT x.id, x.case_id, x.element_id, x.name, x.process_key, x.candidate_group, x.status, x.form_key,
  x.created_at, x.due_at, x.assignee, x.claimed_at
 FROM jsonb_populate_recordset(NULL::tasks, CAST(:new_tasks AS jsonb)) AS x
 WHERE EXISTS (SELECT 1 FROM saved)
 RETURNING id
)""",
    "timer_on": """, timer_on AS (
 INSERT INTO deadlines (case_id, kind, name, clock, starts_at, due_at, status, paused_seconds, escalation_level,
  attempts, created_at, updated_at)
 SELECT CAST(:case_id AS bigint), 'timer', CAST(:timer_name AS text), 'natural', CAST(:at AS timestamptz),
  CAST(:timer_due AS timestamptz), 'pending', 0, 0, 0, CAST(:at AS timestamptz), CAST(:at AS timestamptz)
 WHERE EXISTS (SELECT 1 FROM saved)
 ON CONFLICT (case_id) WHERE kind = 'timer' DO UPDATE SET due_at = EXCLUDED.due_at, status = 'pending',
  claimed_until = NULL, closed_at = NULL, paused_from = NULL, paused_at = NULL, updated_at = EXCLUDED.updated_at
 RETURNING id
)""",
    "timer_off": """, timer_off AS (
 UPDATE deadlines SET status = 'cancelled', closed_at = :at, updated_at = :at
 WHERE case_id = :case_id AND kind = 'timer' AND status IN ('pending', 'warned') AND EXISTS (SELECT 1 FROM saved)
 RETURNING id
)""",
    "closed": """, closed AS (
 UPDATE deadlines SET status = CASE WHEN status = 'fired' THEN 'fired'
  WHEN task_id = ANY(CAST(:close_cancelled AS text[])) THEN 'cancelled' ELSE 'met' END,
  closed_at = :at, updated_at = :at
 WHERE case_id = :case_id AND kind <> 'timer' AND closed_at IS NULL
  AND (task_id = CAST(:close_completed AS text) OR task_id = ANY(CAST(:close_cancelled AS text[]))
   OR CAST(:close_case AS boolean))
  AND EXISTS (SELECT 1 FROM saved)
 RETURNING id
)""",
    "logged": """, logged AS (
 INSERT INTO case_events (case_id, at, actor, kind, task_id, data)
 SELECT x.case_id, x.at, x.actor, x.kind, x.task_id, x.data
 FROM jsonb_populate_recordset(NULL::case_events, CAST(:events AS jsonb)) AS x
 WHERE EXISTS (SELECT 1 FROM saved)
 RETURNING id
)""",
}
_STATEMENTS: dict[tuple, object] = {}
# A step that lost its race fails (so it can be sent with its COMMIT, engine.store.wire): the final SELECT
# casts this marker with the counts of the task and case rows written to an integer, which PostgreSQL refuses.
CONFLICT = "tiaojie-step-conflict"


def _statement(columns: tuple[str, ...], completes: bool, branches: tuple[str, ...]):
    """The step's statement writing these case columns, with these branches (built once per shape)."""
    key = (columns, completes, branches)
    stmt = _STATEMENTS.get(key)
    if stmt is None:
        saved = _SAVED.replace("ASSIGN", ", ".join(f"{c} = r.{c}" for c in columns))
        saved = saved.replace(" DONE", "\n  AND EXISTS (SELECT 1 FROM done)" if completes else "")
        done = "(SELECT count(*) FROM done)" if completes else "1"
        sql = ("WITH " + (_DONE if completes else "") + saved + "".join(_BRANCHES[b] for b in branches)
               + f"\nSELECT CASE WHEN {done} = 1 AND (SELECT count(*) FROM saved) = 1 THEN 1"
               + f"\n ELSE CAST('{CONFLICT} ' || {done} || ' ' || (SELECT count(*) FROM saved) AS integer) END AS ok")
        stmt = _STATEMENTS[key] = text(sql)
    return stmt


def _conflict(completed_id: str | None, case_id: int, err) -> Conflict | None:
    """The step's Conflict for its statement's refusal (``CONFLICT``), else None."""
    message = str(err)
    if CONFLICT not in message:
        return None
    done = message.split(CONFLICT, 1)[1].split()[0]
    if completed_id is not None and done != "1":
        return Conflict(f"task {completed_id} was completed by someone else")
    return Conflict(f"case {case_id} was changed concurrently; try again")


def json_param(value) -> str:
    """A statement's JSON parameter: dates as ISO text, decimals as text."""
    return jsontext.dumps(value, _default)


def _default(o):
    if isinstance(o, datetime | date):
        return o.isoformat()
    if isinstance(o, Decimal):
        return str(o)
    raise TypeError(f"not JSON serializable: {type(o).__name__}")


def write(conn: Connection, *, case_id: int, revision: int, values: dict, new_tasks: list[dict],
          cancelled: list[str], events: list[dict], completed_id: str | None = None,
          actor: str | None = None, at: datetime, mirror_timer: bool = False,
          close: tuple[str | None, list[str], bool] | None = None) -> None:
    """Persist one step atomically; Conflict when the task or the case moved on meanwhile.

    ``mirror_timer``: the case's next BPMN timer changed; its deadline row follows.
    ``close``: (completed task, cancelled tasks, whole case) whose open deadlines are closed
    (``engine.store.deadlines.close_for_tasks``).
    """
    if conn.dialect.name == "postgresql":
        row_values = {c: v for c, v in values.items() if c != "state" and not (v is None and c in _KEEP_WHEN_NONE)}
        timer = ("timer_on" if values["next_timer_at"] is not None else "timer_off") if mirror_timer else None
        wanted = {"cancelled": cancelled, "created": new_tasks, "timer_on": timer == "timer_on",
                  "timer_off": timer == "timer_off", "closed": close is not None, "logged": events}
        branches = tuple(b for b in _BRANCHES if wanted[b])
        params = dict(state=values["state"], row=json_param(row_values), case_id=case_id, revision=revision, at=at)
        if completed_id is not None:
            params.update(completed_id=completed_id, actor=actor)
        if cancelled:
            params["cancelled"] = cancelled
        if new_tasks:
            params["new_tasks"] = json_param([{c: t.get(c) for c in TASK_COLUMNS} for t in new_tasks])
        if events:
            params["events"] = json_param(events)
        if timer == "timer_on":
            params.update(timer_due=values["next_timer_at"], timer_name=deadline_store.TIMER_NAME)
        if close is not None:
            params.update(close_completed=close[0], close_cancelled=close[1] or ["-"], close_case=bool(close[2]))
        statement = _statement(tuple(sorted(row_values)), completed_id is not None, branches)
        wire.write_later(conn, statement, params, partial(_conflict, completed_id, case_id))
        return
    if completed_id is not None and not task_store.complete(conn, completed_id, actor, at):
        raise Conflict(f"task {completed_id} was completed by someone else")
    case_store.save_step(conn, case_id, revision, values)
    task_store.insert_many(conn, new_tasks)
    task_store.cancel_many(conn, cancelled, at)
    event_store.append(conn, events)
    if mirror_timer:
        deadline_store.mirror_timer(conn, case_id, values["next_timer_at"], at)
    if close is not None:
        deadline_store.close_for_tasks(conn, case_id, *close, at)
