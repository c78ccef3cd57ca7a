"""Case registration over HTTP: ``engine.cases``' answer as the JSON body of POST /cases.

The rules (registration, scoping, masking, paging) are the engine's; the other case routes call
``engine.cases`` directly.
"""

from sqlalchemy import Connection

from engine import cases
from engine.core.types import User

__all__ = ["start"]


def start(conn: Connection, user: User, process_key: str, data: dict, received_on=None) -> dict:
    """Register the case (start, the intake task when it is the caller's), or record a repeat visit on the
    identical open matter of the same parties (``repeat_visit``: true, that case, its ``visit_count``)."""
    done = cases.register_case(conn, process_key, data, user=user, received_on=received_on)
    case = done.case
    return {"id": case.id, "case_number": case.case_number, "status": case.status,
            "open_tasks": [cases.task_item(t) for t in case.open_tasks],
            "related_cases": [cases.related_item(r) for r in done.related],
            "repeat_petitioner": done.repeat_petitioner, "repeat_visit": done.repeat_visit,
            "visit_count": done.visit_count}
