"""Case continuity: within a case, the next task of a group goes to whoever did the group's previous one.

When a step completes a task and creates tasks of the same candidate group (a group named in
``TIAOJIE_CONTINUITY_GROUPS``), they are written claimed by the completer, with a ``task_continued``
event, unless the completer is no longer active, no longer has the group's role or does not serve the
case's community: then they go to the group's pool as before. The completer is known from the step
itself (the logged-in user, passed down); only a step completed by name (the CLI) reads the person.
"""

from collections.abc import Callable
from datetime import datetime

from engine.core.events import event
from engine.core.settings import continuity_groups, get_settings
from engine.core.types import CASEWORKER_ROLES, Person, User

Worker = Person | User


def eligible(worker: Worker | None, group: str | None, community: str | None) -> bool:
    """The worker may hold a task of ``group`` in ``community``: active, of that role, serving it."""
    if worker is None or group is None or not getattr(worker, "active", True) or worker.role != group:
        return False
    return worker.role not in CASEWORKER_ROLES or community is None or community in worker.communities


def keep(case_id: int, rows: list[dict], completed_group: str | None, community: str | None,
         worker: Callable[[], Worker | None], actor: str | None, completed_id: str | None,
         at: datetime) -> list[dict]:
    """Mark the new task rows that stay with the completer as claimed by them; their events.

    ``worker`` is called only when a new row is of the completed task's group and that group keeps its
    cases (so a step without such a task costs nothing).
    """
    if actor is None or completed_group is None or completed_group not in continuity_groups(get_settings()):
        return []
    same = [r for r in rows if r["candidate_group"] == completed_group]
    if not same:
        return []
    person = worker()
    if person is None or person.username != actor or not eligible(person, completed_group, community):
        return []
    for r in same:
        r.update(status="claimed", assignee=actor, claimed_at=at)
    return [event(case_id, at, actor, "task_continued", r["id"], to=actor, group=completed_group,
                  after=completed_id, name=r["name"]) for r in same]
