"""Task queue endpoints: the queue, claim/release/assign/delegate, the form, completion."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from sqlalchemy import Connection

from api.deps import TRANSACTION, current_user, require
from api.tasks import service
from api.tasks.schemas import (
    AssigneeOut,
    AssignIn,
    CompletedOut,
    CompleteIn,
    DraftIn,
    DraftOut,
    FormOut,
    OpenTask,
    QueueQuery,
    ReasonIn,
    SummaryOut,
    TaskItem,
    TaskOut,
    TaskPage,
    UsernameIn,
)
from api.unit import UNIT, Unit, one_trip
from engine import deadlines, tasks
from engine.core import clock
from engine.core.types import TaskView, User

router = APIRouter(prefix="/tasks", tags=["tasks"])
TaskId = Annotated[str, Path(max_length=36)]


def _item(t: TaskView, now: datetime, cls: type[TaskItem] = TaskItem, provisional: frozenset | set = frozenset()
          ) -> dict:
    left = int((t.due_at - now).total_seconds()) if t.due_at else None
    item = {"id": t.id, "case_id": t.case_id, "case_number": t.case_number, "element_id": t.element_id,
            "name": t.name, "group": t.group, "assignee": t.assignee, "status": t.status, "due_at": t.due_at,
            "overdue": left is not None and left < 0 and t.status in ("ready", "claimed"), "seconds_remaining": left,
            "overdue_by": deadlines.overdue_by(t.due_at, "natural", now) if t.status in ("ready", "claimed") else None,
            "created_at": t.created_at, "process_key": t.process_key, "community": t.community,
            "dispute_type": t.dispute_type, "calendar_confirmed": t.id not in provisional}
    if cls is TaskOut:
        item["owner"] = t.owner
    return item


def _out(t: TaskView, conn: Connection) -> dict:
    provisional = deadlines.unconfirmed_tasks(conn, [t.id]) if t.due_at else set()
    return _item(t, clock.now(), TaskOut, provisional)


# First of the router: FastAPI tries routes in order, ~7 µs each; this is the one called most
@one_trip(router, "POST", "/{task_id}/complete", response_model=CompletedOut,
          summary="Complete a task with its form data")
def complete(task_id: TaskId, body: CompleteIn, unit: Unit = UNIT) -> dict:
    return _completed(tasks.complete_task(unit.conn, unit.user, task_id, body.data))


@router.get("", response_model=TaskPage, summary="The task queue, earliest due first")
def list_tasks(q: Annotated[QueueQuery, Query()], user: User = Depends(current_user),
               conn: Connection = TRANSACTION) -> dict:
    rows, cursor = service.queue(conn, user, q)
    now = clock.now()
    provisional = deadlines.unconfirmed_tasks(conn, [t.id for t in rows if t.due_at is not None])
    return {"items": [{**_item(t, now, provisional=provisional), **tasks.describe(user, t)} for t in rows],
            "next_cursor": cursor}


@router.get("/summary", response_model=SummaryOut, summary="Counts for the page header: yours and your group's")
def summary(user: User = Depends(current_user), conn: Connection = TRANSACTION) -> dict:
    return tasks.summary(conn, user)


@router.get("/{task_id}/form", response_model=FormOut, summary="The task's form schema, the case data, the draft")
def task_form(task_id: TaskId, user: User = Depends(current_user), conn: Connection = TRANSACTION) -> dict:
    task, schema, data = tasks.form(conn, user, task_id)
    draft = tasks.get_draft(conn, task.id)
    screening = tasks.screening_context(conn, user, task_id)  # 诉访分离: the suggestion, its rule, the facts
    if screening and data.get(screening["field"]) is None and screening["suggested"] is not None:
        data = {**data, screening["field"]: screening["suggested"]}  # the suggested route preselected
    return {"task": _out(task, conn), "form_key": task.form_key, "schema": schema, "data": data, "draft": draft,
            "screening": screening}


@router.put("/{task_id}/draft", response_model=DraftOut, summary="Save unfinished form data (the assignee)")
def save_draft(task_id: TaskId, body: DraftIn, user: User = Depends(current_user),
               conn: Connection = TRANSACTION) -> dict:
    return tasks.save_draft(conn, user, task_id, body.data)


@router.post("/{task_id}/claim", response_model=TaskOut, summary="Take a task of your group")
def claim(task_id: TaskId, user: User = Depends(current_user), conn: Connection = TRANSACTION) -> dict:
    return _out(tasks.claim_task(conn, user, task_id), conn)


def _reason(text: str | None) -> str | None:
    return (text or "").strip() or None


@router.post("/{task_id}/release", response_model=TaskOut, summary="Give a task back to its group, with a reason")
def release(task_id: TaskId, body: ReasonIn | None = None, user: User = Depends(current_user),
            conn: Connection = TRANSACTION) -> dict:
    return _out(tasks.release_task(conn, user, task_id, _reason(body and body.reason)), conn)


@router.post("/{task_id}/assign", response_model=TaskOut,
             summary="Reassign a task to a user or to a group's pool, with a reason (supervisors)")
def assign(task_id: TaskId, body: AssignIn, user: User = Depends(require("supervisor")),
           conn: Connection = TRANSACTION) -> dict:
    return _out(tasks.assign_task(conn, user, task_id, body.username, _reason(body.reason), group=body.group), conn)


@router.post("/{task_id}/delegate", response_model=TaskOut,
             summary="Hand your task to a colleague of the same role, with a reason")
def delegate(task_id: TaskId, body: UsernameIn, user: User = Depends(current_user),
             conn: Connection = TRANSACTION) -> dict:
    return _out(tasks.delegate_task(conn, user, task_id, body.username, _reason(body.reason)), conn)


@router.get("/{task_id}/assignees", response_model=list[AssigneeOut],
            summary="Colleagues who could hold the task: its group's role, active, serving its community")
def assignees(task_id: TaskId, user: User = Depends(current_user), conn: Connection = TRANSACTION) -> list[dict]:
    return [{"username": p.username, "display_name": p.display_name, "role": p.role}
            for p in tasks.eligible_assignees(conn, user, task_id)]


def _completed(case) -> dict:
    return {"case_id": case.id, "case_number": case.case_number, "status": case.status, "outcome": case.outcome,
            "open_tasks": [OpenTask(id=t.id, element_id=t.element_id, name=t.name, group=t.group,
                                    assignee=t.assignee, status=t.status, due_at=t.due_at) for t in case.open_tasks]}
