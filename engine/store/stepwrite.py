"""Write one engine step: the task completion, the case row, new/cancelled tasks, events.

On PostgreSQL this is a single statement (data-modifying CTEs), so a step costs one
round trip to read (the locked case) and one to write, plus the commit. Elsewhere
(SQLite, in-process) it is a handful of plain statements.
"""

import json
from datetime import datetime

from sqlalchemy import Connection, text

from engine.core.errors import Conflict
from engine.store import cases as case_store
from engine.store import deadlines as deadline_store
from engine.store import events as event_store
from engine.store import tasks as task_store

CASE_COLUMNS = ("state", "data", "status", "next_timer_at", "updated_at", "completed_at", "definition_id", "received_on",
                *case_store.BUSINESS_FIELDS, *case_store.LEDGER_FIELDS, "element_states")
TASK_COLUMNS = ("id", "case_id", "element_id", "name", "process_key", "candidate_group", "status", "form_key",
                "created_at", "due_at", "assignee", "claimed_at")

_PG_STEP = text("""
WITH done AS (
    UPDATE tasks SET status = 'completed', completed_at = :at, completed_by = :actor
    WHERE id = :completed_id AND status IN ('ready', 'claimed')
    RETURNING id
), saved AS (
    UPDATE cases SET revision = revision + 1, state = :state, data = CAST(:data AS jsonb), status = :status,
        element_states = CAST(:element_states AS jsonb),
        next_timer_at = :next_timer_at, updated_at = :updated_at, completed_at = :completed_at,
        definition_id = COALESCE(:definition_id, definition_id),
        received_on = COALESCE(CAST(:received_on AS date), received_on), BUSINESS_SET
    WHERE id = :case_id AND revision = :revision
      AND (CAST(:completed_id AS text) IS NULL OR EXISTS (SELECT 1 FROM done))
    RETURNING id
), cancelled AS (
    UPDATE tasks SET status = 'cancelled', completed_at = :at
    WHERE id = ANY(CAST(:cancelled AS text[])) AND status IN ('ready', 'claimed') AND EXISTS (SELECT 1 FROM saved)
    RETURNING id
), created AS (
    INSERT INTO tasks (id, case_id, element_id, name, process_key, candidate_group, status, form_key,
                       created_at, due_at, assignee, claimed_at)
    SELECT x.id, x.case_id, x.element_id, x.name, x.process_key, x.candidate_group, x.status, x.form_key,
           x.created_at, x.due_at, x.assignee, x.claimed_at
    FROM jsonb_to_recordset(CAST(:new_tasks AS jsonb)) AS x(id text, case_id bigint, element_id text, name text,
         process_key text, candidate_group text, status text, form_key text, created_at timestamptz,
         due_at timestamptz, assignee text, claimed_at timestamptz)
    WHERE EXISTS (SELECT 1 FROM saved)
    RETURNING id
), timer_on AS (
    INSERT INTO deadlines (case_id, kind, name, clock, starts_at, due_at, status, paused_seconds, escalation_level,
                           attempts, created_at, updated_at)
    SELECT :case_id, 'timer', :timer_name, 'natural', :at, CAST(:timer_due AS timestamptz), 'pending', 0, 0, 0, :at, :at
    WHERE CAST(:mirror_timer AS boolean) AND CAST(:timer_due AS timestamptz) IS NOT NULL AND EXISTS (SELECT 1 FROM saved)
    ON CONFLICT (case_id) WHERE kind = 'timer' DO UPDATE SET due_at = EXCLUDED.due_at, status = 'pending',
        claimed_until = NULL, closed_at = NULL, paused_from = NULL, paused_at = NULL, updated_at = EXCLUDED.updated_at
    RETURNING id
), timer_off AS (
    UPDATE deadlines SET status = 'cancelled', closed_at = :at, updated_at = :at
    WHERE case_id = :case_id AND kind = 'timer' AND status IN ('pending', 'warned')
      AND CAST(:mirror_timer AS boolean) AND CAST(:timer_due AS timestamptz) IS NULL AND EXISTS (SELECT 1 FROM saved)
    RETURNING id
), logged AS (
    INSERT INTO case_events (case_id, at, actor, kind, task_id, data)
    SELECT x.case_id, x.at, x.actor, x.kind, x.task_id, x.data
    FROM jsonb_to_recordset(CAST(:events AS jsonb)) AS x(case_id bigint, at timestamptz, actor text, kind text,
         task_id text, data jsonb)
    WHERE EXISTS (SELECT 1 FROM saved)
    RETURNING id
)
SELECT (SELECT count(*) FROM done) AS done, (SELECT count(*) FROM saved) AS saved
""".replace("BUSINESS_SET", ", ".join(f"{c} = :{c}" for c in case_store.BUSINESS_FIELDS)
           + ", " + ", ".join(f"{c} = CAST(:{c} AS {t})" for c, t in case_store.LEDGER_FIELDS.items())))


def _json(rows: list[dict]) -> str:
    return json.dumps(rows, ensure_ascii=False, default=_default)


def _default(o):
    if isinstance(o, datetime):
        return o.isoformat()
    raise TypeError(f"not JSON serializable: {type(o).__name__}")


def write(conn: Connection, *, case_id: int, revision: int, values: dict, new_tasks: list[dict],
          cancelled: list[str], events: list[dict], completed_id: str | None = None,
          actor: str | None = None, at: datetime, mirror_timer: bool = False) -> None:
    """Persist one step atomically; Conflict when the task or the case moved on meanwhile.

    ``mirror_timer``: the case's next BPMN timer changed; its deadline row follows.
    """
    if conn.dialect.name == "postgresql":
        params = {c: values.get(c) for c in CASE_COLUMNS}
        params.update(
            data=json.dumps(values["data"], ensure_ascii=False, default=str), case_id=case_id, revision=revision,
            element_states=json.dumps(values["element_states"]) if values.get("element_states") is not None else None,
            completed_id=completed_id, actor=actor, at=at, cancelled=cancelled,
            new_tasks=_json([{c: t.get(c) for c in TASK_COLUMNS} for t in new_tasks]), events=_json(events),
            mirror_timer=mirror_timer, timer_due=values["next_timer_at"], timer_name=deadline_store.TIMER_NAME,
        )
        row = conn.execute(_PG_STEP, params).one()
        if completed_id is not None and row.done != 1:
            raise Conflict(f"task {completed_id} was completed by someone else")
        if row.saved != 1:
            raise Conflict(f"case {case_id} was changed concurrently; try again")
        return
    if completed_id is not None and not task_store.complete(conn, completed_id, actor, at):
        raise Conflict(f"task {completed_id} was completed by someone else")
    case_store.save_step(conn, case_id, revision, values)
    task_store.insert_many(conn, new_tasks)
    task_store.cancel_many(conn, cancelled, at)
    event_store.append(conn, events)
    if mirror_timer:
        deadline_store.mirror_timer(conn, case_id, values["next_timer_at"], at)
