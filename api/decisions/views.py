"""决策表: list the decision tables the processes use, open one, check and try an edit, publish it as new versions
of the processes that use it, its versions and the cell-by-cell diff. Supervisors and admins, as the process
editor."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path
from sqlalchemy import Connection

from api.decisions import schemas
from api.deps import TRANSACTION, require
from engine import processes
from engine.core.types import User

router = APIRouter(prefix="/decisions", tags=["decisions"])
EDITORS = ("supervisor", "admin")
DecisionId = Annotated[str, Path(min_length=1, max_length=100, pattern=r"^[A-Za-z_][A-Za-z0-9_.-]*$", description="the decision's id")]
Version = Annotated[int, Path(ge=1, le=2_147_483_647)]


@router.get("", response_model=list[schemas.DecisionOut], summary="The decision tables the deployed processes use")
def list_decisions(_: User = Depends(require(*EDITORS)), conn: Connection = TRANSACTION) -> list[dict]:
    return processes.list_decisions(conn)


@router.get("/{decision_id}", response_model=schemas.DecisionDetailOut,
            summary="One decision table to edit: its DMN file, the processes using it, the fields to try it on")
def get_decision(decision_id: DecisionId, _: User = Depends(require(*EDITORS)),
                 conn: Connection = TRANSACTION) -> dict:
    return processes.get_decision(conn, decision_id)


@router.post("/{decision_id}/validate", response_model=schemas.CheckOut,
             summary="Check an edited table with the engine's validation and compile the processes using it")
def validate(decision_id: DecisionId, body: schemas.EditIn, _: User = Depends(require(*EDITORS)),
             conn: Connection = TRANSACTION) -> dict:
    return processes.check_decision(conn, decision_id, body.xml)


@router.post("/{decision_id}/try", response_model=schemas.TryOut,
             summary="Evaluate an edited (unpublished) table on a sample input: the rule that matched, the outputs")
def try_decision(decision_id: DecisionId, body: schemas.TryIn, _: User = Depends(require(*EDITORS)),
                 conn: Connection = TRANSACTION) -> dict:
    return processes.try_decision(conn, decision_id, body.xml, body.inputs)


@router.post("/{decision_id}/publish", status_code=201, response_model=schemas.PublishOut,
             summary="Publish an edited table: a new version of every process using it (and of their callers)")
def publish(decision_id: DecisionId, body: schemas.EditIn, user: User = Depends(require(*EDITORS)),
            conn: Connection = TRANSACTION) -> dict:
    deployed = processes.publish_decision(conn, decision_id, body.xml, user.username)
    return {"definitions": [{"key": d.key, "name": d.name, "version": d.version, "is_new": d.is_new,
                             "created_at": d.created_at} for d in deployed]}


@router.get("/{decision_id}/versions", response_model=schemas.VersionsOut,
            summary="The versions of the process using the table in which the table changed")
def versions(decision_id: DecisionId, _: User = Depends(require(*EDITORS)), conn: Connection = TRANSACTION) -> dict:
    return processes.decision_versions(conn, decision_id)


@router.get("/{decision_id}/versions/{version}/diff/{other}", response_model=schemas.DiffOut,
            summary="The table's rules and cells changed between two versions, old and new")
def diff(decision_id: DecisionId, version: Version, other: Version, _: User = Depends(require(*EDITORS)),
         conn: Connection = TRANSACTION) -> dict:
    return processes.decision_diff(conn, decision_id, version, other)
