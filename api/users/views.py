"""User endpoints: the user list (supervisors, admins) and handovers (supervisors)."""

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Path
from sqlalchemy import Connection

from api.deps import TRANSACTION, require
from api.users.schemas import HandoverIn, HandoverOut, HandoverPreviewOut, UserOut
from engine import people, tasks
from engine.core.types import User

router = APIRouter(prefix="/users", tags=["users"])
UserId = Annotated[int, Path(ge=1, le=2**62)]


@router.get("", response_model=list[UserOut], summary="All users with role, communities and status")
def list_users(user: User = Depends(require("supervisor", "admin")), conn: Connection = TRANSACTION) -> list[dict]:
    return [asdict(p) for p in people.list_people(conn)]


@router.get("/{user_id}", response_model=UserOut, summary="One user")
def get_user(user_id: UserId, user: User = Depends(require("supervisor", "admin")),
             conn: Connection = TRANSACTION) -> dict:
    return asdict(people.get_person(conn, user_id))


@router.post("/{user_id}/handover", response_model=HandoverOut,
             summary="Move a departing caseworker's open tasks and cases to a colleague (supervisors)")
def handover(user_id: UserId, body: HandoverIn, user: User = Depends(require("supervisor")),
             conn: Connection = TRANSACTION) -> dict:
    return tasks.handover(conn, user_id, body.to_user, body.note.strip(), user.username,
                          round_robin=body.round_robin, tasks=body.tasks, cases=body.cases)


@router.get("/{user_id}/handover/preview", response_model=HandoverPreviewOut,
            summary="A departing caseworker's open tasks and active cases, and who could take them (supervisors)")
def handover_preview(user_id: UserId, user: User = Depends(require("supervisor")),
                     conn: Connection = TRANSACTION) -> dict:
    found = tasks.preview(conn, user_id)
    return {"user": asdict(found["user"]), "cases": found["cases"],
            "tasks": [{**t, "group": t["candidate_group"]} for t in found["tasks"]],
            "colleagues": [asdict(p) for p in found["colleagues"]]}
