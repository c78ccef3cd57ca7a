"""异常 endpoints (issue 17): the lists, and retry / skip a failed step, suspend / reactivate / end a case,
send a failed email again or drop it. Supervisors and admins; every action but a retry takes a reason."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path
from sqlalchemy import Connection

from api.deps import TRANSACTION, require
from api.exceptions.schemas import (
    CaseExceptionsOut,
    CaseStatusOut,
    EmailActionOut,
    ExceptionsOut,
    IncidentActionOut,
    ReasonIn,
)
from engine import cases
from engine.core.types import User

router = APIRouter(tags=["exceptions"])
Id = Annotated[int, Path(ge=1, le=2**63 - 1)]
OFFICE = require("supervisor", "admin")


@router.get("/exceptions", response_model=ExceptionsOut,
            summary="Failed steps, emails that failed for good and stuck cases, in your communities")
def overview(user: User = Depends(OFFICE), conn: Connection = TRANSACTION) -> dict:
    return cases.exceptions_overview(conn, user)


@router.get("/cases/{case_id}/exceptions", response_model=CaseExceptionsOut,
            summary="One case's failed steps and emails, and what was done about them")
def for_case(case_id: Id, user: User = Depends(OFFICE), conn: Connection = TRANSACTION) -> dict:
    return cases.case_exceptions(conn, user, case_id)


@router.post("/incidents/{incident_id}/retry", response_model=IncidentActionOut,
             summary="Run a failed step again (a task with its draft); 409 step_failed when it fails again")
def retry(incident_id: Id, user: User = Depends(OFFICE), conn: Connection = TRANSACTION) -> dict:
    return cases.retry_incident(conn, user, incident_id)


@router.post("/incidents/{incident_id}/skip", response_model=IncidentActionOut,
             summary="Run a failed step with its failing element marked complete, with a reason")
def skip(incident_id: Id, body: ReasonIn, user: User = Depends(OFFICE), conn: Connection = TRANSACTION) -> dict:
    return cases.skip_incident(conn, user, incident_id, body.reason)


@router.post("/cases/{case_id}/suspend", response_model=CaseStatusOut,
             summary="Suspend a case (steps refused, clocks stopped), with a reason")
def suspend(case_id: Id, body: ReasonIn, user: User = Depends(OFFICE), conn: Connection = TRANSACTION) -> dict:
    return cases.suspend_case(conn, user, case_id, body.reason)


@router.post("/cases/{case_id}/reactivate", response_model=CaseStatusOut,
             summary="Resume a suspended case (its clocks get the suspended time back), with a reason")
def reactivate(case_id: Id, body: ReasonIn, user: User = Depends(OFFICE), conn: Connection = TRANSACTION) -> dict:
    return cases.reactivate_case(conn, user, case_id, body.reason)


@router.post("/cases/{case_id}/end", response_model=CaseStatusOut,
             summary="End a case: workflow cancelled, open tasks and deadlines closed, with a reason")
def end(case_id: Id, body: ReasonIn, user: User = Depends(OFFICE), conn: Connection = TRANSACTION) -> dict:
    return cases.end_case(conn, user, case_id, body.reason)


@router.post("/emails/{email_id}/retry", response_model=EmailActionOut,
             summary="Send a failed email again (every attempt back)")
def retry_email(email_id: Id, user: User = Depends(OFFICE), conn: Connection = TRANSACTION) -> dict:
    return cases.retry_email(conn, user, email_id)


@router.post("/emails/{email_id}/drop", response_model=EmailActionOut,
             summary="Give up a failed email, with a reason (kept, never sent)")
def drop_email(email_id: Id, body: ReasonIn, user: User = Depends(OFFICE), conn: Connection = TRANSACTION) -> dict:
    return cases.drop_email(conn, user, email_id, body.reason)
