"""交接: a departing caseworker's open tasks and active cases, previewed, then moved to one or several colleagues.

Each task and case goes to the colleague chosen for it (``tasks`` / ``cases``), else to ``to_user`` (all to
one), else in turn to ``round_robin`` (case by case, a case's tasks with it). Every target is active, of the
departing user's role and serves the community of what it receives, or nothing moves. Completed tasks and
closed cases keep their people; each case gets one ``handover`` event per colleague with the note, its earlier
events untouched.
"""

from itertools import cycle

from sqlalchemy import Connection

from engine.core import clock
from engine.core.errors import InvalidData, NotFound
from engine.core.types import CASEWORKER_ROLES, Person
from engine.store import events as event_store
from engine.store import handover_queries as moves
from engine.store import task_queries as store
from engine.tasks.assignment import check_target


def _departing(conn: Connection, user_id: int) -> Person:
    departing = store.person(conn, user_id=user_id)
    if departing is None:
        raise NotFound(f"user {user_id} not found")
    if departing.role not in CASEWORKER_ROLES:
        raise InvalidData(f"only caseworkers' work is handed over, not a {departing.role}'s",
                          {"user": f"role '{departing.role}' has no handover"})
    return departing


def preview(conn: Connection, user_id: int) -> dict:
    """What a handover of ``user_id`` would move, and the colleagues who could take it."""
    departing = _departing(conn, user_id)
    open_tasks, owned = moves.open_work(conn, departing.username)
    colleagues = [p for p in moves.eligible(conn, departing.role) if p.username != departing.username]
    return {"user": departing, "tasks": open_tasks, "cases": owned, "colleagues": colleagues}


def _plan(open_tasks: list[dict], owned: list[dict], to_user: str | None, round_robin: list[str],
          per_task: dict[str, str], per_case: dict[int, str]) -> tuple[dict, dict]:
    """({task id: (target, source field)}, {case id: (target, source field)}) or InvalidData."""
    unknown = sorted(set(per_task) - {t["id"] for t in open_tasks})
    if unknown:
        raise InvalidData(f"not open work of the departing user: {', '.join(unknown)}", {"tasks": "unknown task"})
    case_ids = sorted({t["case_id"] for t in open_tasks} | {c["id"] for c in owned})
    if set(per_case) - set(case_ids):
        raise InvalidData("a case that is not the departing user's", {"cases": "unknown case"})
    turn = dict(zip(case_ids, cycle(round_robin), strict=False)) if round_robin else {}

    def pick(explicit: tuple[str | None, str], case_id: int) -> tuple[str, str]:
        for who, field in (explicit, (per_case.get(case_id), "cases"), (to_user, "to_user"),
                           (turn.get(case_id), "round_robin")):
            if who:
                return who, field
        raise InvalidData("no colleague chosen for some of the work", {"to_user": "required"})

    task_plan = {t["id"]: pick((per_task.get(t["id"]), "tasks"), t["case_id"]) for t in open_tasks}
    case_plan = {c["id"]: pick((per_case.get(c["id"]), "cases"), c["id"]) for c in owned}
    return task_plan, case_plan


def handover(conn: Connection, from_user_id: int, to_user: str | None, note: str, actor: str, *,
             round_robin: list[str] | None = None, tasks: dict[str, str] | None = None,
             cases: dict[int, str] | None = None) -> dict:
    """Move the departing caseworker's open work as planned (see the module); one transaction, all or nothing."""
    departing = _departing(conn, from_user_id)
    open_tasks, owned = moves.open_work(conn, departing.username)
    task_plan, case_plan = _plan(open_tasks, owned, to_user, list(round_robin or []), tasks or {}, cases or {})
    communities = {t["case_id"]: t["community"] for t in open_tasks} | {c["id"]: c["community"] for c in owned}
    targets: dict[str, Person] = {}
    named = [(to_user, "to_user")] if to_user else []
    for who, field in [*named, *((w, "round_robin") for w in round_robin or [])]:
        if who == departing.username:
            raise InvalidData("handover to the same user", {field: "is the departing user"})
        targets.setdefault(who, check_target(conn, who, departing.role, None, field=field))
    for case_id, (who, field) in [*((t["case_id"], task_plan[t["id"]]) for t in open_tasks),
                                  *((c["id"], case_plan[c["id"]]) for c in owned)]:
        if who == departing.username:
            raise InvalidData("handover to the same user", {field: "is the departing user"})
        if who not in targets:
            targets[who] = check_target(conn, who, departing.role, None, field=field)
        community = communities[case_id]
        if community is not None and community not in targets[who].communities:
            raise InvalidData(f"user '{who}' does not serve {community}", {field: f"does not serve {community}"})
    moved: dict[tuple[int, str], list[str]] = {}
    owner_moved: set[tuple[int, str]] = set()
    for who in sorted({w for w, _ in [*task_plan.values(), *case_plan.values()]}):
        ids = [i for i, (w, _) in task_plan.items() if w == who]
        for task_id, case_id in moves.move_tasks(conn, departing.username, who, ids):
            moved.setdefault((case_id, who), []).append(task_id)
        for case_id in moves.move_cases(conn, departing.username, who, [i for i, (w, _) in case_plan.items()
                                                                          if w == who]):
            moved.setdefault((case_id, who), [])
            owner_moved.add((case_id, who))
    at = clock.now()
    event_store.append(conn, [
        {"case_id": case_id, "at": at, "actor": actor, "kind": "handover", "task_id": None,
         "data": {"from": departing.username, "to": who, "note": note, "tasks": sorted(ids),
                  "case_owner": (case_id, who) in owner_moved}}
        for (case_id, who), ids in sorted(moved.items())
    ])
    numbers = {t["case_id"]: t["case_number"] for t in open_tasks} | {c["id"]: c["case_number"] for c in owned}
    return {"from_user": departing.username,
            "to_user": to_user if not round_robin and not tasks and not cases else None,
            "to_users": sorted({who for _, who in moved}),
            "tasks": sum(len(ids) for ids in moved.values()), "cases": len(owner_moved),
            "moves": [{"case_id": case_id, "case_number": numbers.get(case_id), "to": who, "tasks": sorted(ids),
                       "case_owner": (case_id, who) in owner_moved} for (case_id, who), ids in sorted(moved.items())]}
