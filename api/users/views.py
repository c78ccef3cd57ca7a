"""User endpoints: the user list (supervisors, admins), user administration with its audit (admins), handovers
(supervisors)."""

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from sqlalchemy import Connection

from api.deps import TRANSACTION, require
from api.users.schemas import (
    AuditOut,
    HandoverIn,
    HandoverOut,
    HandoverPreviewOut,
    ResetOut,
    Role,
    UserAdminOut,
    UserCreatedOut,
    UserIn,
    UserPatch,
)
from engine import people, tasks
from engine.core.types import User

router = APIRouter(prefix="/users", tags=["users"])
UserId = Annotated[int, Path(ge=1, le=2**62)]


@router.get("", response_model=list[UserAdminOut],
            summary="Users with role, task groups, communities, status and last login; filters (supervisors, admins)")
def list_users(role: Role | None = None, community: Annotated[str | None, Query(max_length=100)] = None,
               active: bool | None = None, q: Annotated[str | None, Query(max_length=100)] = None,
               user: User = Depends(require("supervisor", "admin")), conn: Connection = TRANSACTION) -> list[dict]:
    return people.list_users(conn, role=role, community=community, active=active, q=q)


@router.post("", response_model=UserCreatedOut, status_code=201,
             summary="Add a user (admins): a temporary password is returned once and must be changed at first login",
             responses={422: {"description": "the username is taken or not letters, digits, '.', '_', '-'"}})
def create_user(body: UserIn, user: User = Depends(require("admin")), conn: Connection = TRANSACTION) -> dict:
    found, temp = people.create_user(conn, user, username=body.username, role=body.role,
                                     communities=body.communities, email=body.email,
                                     display_name=body.display_name)
    return {"user": found, "temporary_password": temp}


@router.get("/{user_id}", response_model=UserAdminOut, summary="One user (supervisors, admins)")
def get_user(user_id: UserId, user: User = Depends(require("supervisor", "admin")),
             conn: Connection = TRANSACTION) -> dict:
    return people.user_detail(conn, user_id)


@router.patch("/{user_id}", response_model=UserAdminOut,
              summary="Change a user's role, names, email, communities or status (admins); audited",
              responses={409: {"description": "`last_admin`: the last active admin cannot be deactivated "
                                              "or given another role"}})
def update_user(user_id: UserId, body: UserPatch, user: User = Depends(require("admin")),
                conn: Connection = TRANSACTION) -> dict:
    return people.update_user(conn, user, user_id, body.model_dump(exclude_none=True))


@router.post("/{user_id}/reset-password", response_model=ResetOut,
             summary="Reset a user's password (admins): a temporary one, shown once; their sessions end")
def reset_password(user_id: UserId, user: User = Depends(require("admin")), conn: Connection = TRANSACTION) -> dict:
    return {"temporary_password": people.reset_password(conn, user, user_id)}


@router.get("/{user_id}/audit", response_model=list[AuditOut],
            summary="Every change of a user: who, what (old and new values), when (admins)")
def user_audit(user_id: UserId, user: User = Depends(require("admin")), conn: Connection = TRANSACTION) -> list[dict]:
    return people.user_audit(conn, user_id)


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
