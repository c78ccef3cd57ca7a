"""Helpers of the web-UI support and task tests: the app with the process set, cases at given stages."""

from datetime import UTC, datetime

from engine import processes
from engine.cases import service
from engine.store import tasks as task_store
from tests.helpers.api import make_app
from tests.helpers.process_driver import accept_on, bundle, intake, review


def setup_app(db):
    app = make_app(db)
    with db.begin() as conn:
        processes.deploy(conn, bundle(), actor="test")
    return app


def new_case(db, community: str = "福田社区", actor: str = "window1", **data):
    """A dispute_case whose intake task is open; returns (case id, intake task id)."""
    with db.begin() as conn:
        case = service.start_case(conn, "dispute_case", {"community": community, **data}, actor=actor)
    return case.id, case.open_tasks[0].id


def lawyer_case(db, community: str = "福田社区", actor: str = "window1"):
    """A dispute_case past intake: (case id, lawyer_review task id), the task has a due time."""
    case_id, task_id = new_case(db, community, actor)
    with db.begin() as conn:
        case = service.complete_task(conn, task_id, intake(community=community), actor=actor)
    return case_id, case.open_tasks[0].id


def session_case(db, community: str = "福田社区"):
    """In people's mediation with the session (调解会) open: (case id, mediation_session task id)."""
    case_id, task_id = lawyer_case(db, community)
    with db.begin() as conn:
        case = service.complete_task(conn, task_id, review("people_mediation"), actor="lawyer1")
    accept = case.open_tasks[0]
    assert accept.element_id == "mediation_accept", [t.element_id for t in case.open_tasks]
    with db.begin() as conn:
        case = service.complete_task(conn, accept.id, accept_on(datetime.now(UTC)), actor="mediator1")
    session = [t for t in case.open_tasks if t.element_id == "mediation_session"]
    assert session, [t.element_id for t in case.open_tasks]
    return case_id, session[0].id


def set_due(db, *changes):
    with db.begin() as conn:
        task_store.set_due(conn, list(changes))
