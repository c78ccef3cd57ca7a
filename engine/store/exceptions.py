"""The 异常 page's SQL: open incidents, failed emails and stuck cases; incident bookkeeping; the actions log."""

from datetime import datetime

from sqlalchemy import Connection, and_, exists, false, or_, select, update

from engine.store.tables import cases, exception_actions, incidents, outbox, tasks

LIVE = ("active", "suspended")  # a case whose incidents still matter
_OPEN_TASK = and_(tasks.c.status.in_(("ready", "claimed")), tasks.c.kind != "escalation")
_INCIDENT = (incidents.c.id, incidents.c.case_id, incidents.c.element_id, incidents.c.message, incidents.c.at,
             incidents.c.task_id, incidents.c.actor, incidents.c.attempts, cases.c.case_number,
             cases.c.status.label("case_status"), cases.c.community, tasks.c.name.label("task_name"),
             tasks.c.assignee)


def _scope(communities: list[str] | None):
    if communities is None:
        return None
    return cases.c.community.in_(communities) if communities else false()


def record_incident(conn: Connection, case_id: int, element_id: str | None, message: str, now: datetime,
                    task_id: str | None = None, actor: str | None = None) -> int:
    """A failed step: the open incident of the same case, element and task counts one more attempt (a timer
    retried every hour, a retry that fails again), else a new one."""
    same = [incidents.c.case_id == case_id, incidents.c.resolved_at.is_(None),
            incidents.c.element_id.is_(None) if element_id is None else incidents.c.element_id == element_id,
            incidents.c.task_id.is_(None) if task_id is None else incidents.c.task_id == task_id]
    found = conn.execute(select(incidents.c.id).where(*same).order_by(incidents.c.id.desc()).limit(1)).scalar()
    if found is not None:
        conn.execute(update(incidents).where(incidents.c.id == found)
                     .values(message=message, at=now, attempts=incidents.c.attempts + 1,
                             actor=actor if actor is not None else incidents.c.actor))
        return found
    return conn.execute(incidents.insert().values(case_id=case_id, element_id=element_id, message=message, at=now,
                                                  task_id=task_id, actor=actor, attempts=1)
                        .returning(incidents.c.id)).scalar_one()


def open_incidents(conn: Connection, communities: list[str] | None, case_id: int | None = None) -> list:
    """Unresolved incidents of live cases; one about a task counts while that task is still open."""
    q = (select(*_INCIDENT).join(cases, cases.c.id == incidents.c.case_id)
         .outerjoin(tasks, tasks.c.id == incidents.c.task_id)
         .where(incidents.c.resolved_at.is_(None), cases.c.status.in_(LIVE),
                or_(incidents.c.task_id.is_(None), tasks.c.status.in_(("ready", "claimed")))))
    if case_id is not None:
        q = q.where(incidents.c.case_id == case_id)
    if (scoped := _scope(communities)) is not None:
        q = q.where(scoped)
    return list(conn.execute(q.order_by(incidents.c.at.desc(), incidents.c.id.desc()).limit(500)))


def get_incident(conn: Connection, incident_id: int):
    q = (select(*_INCIDENT, incidents.c.resolved_at).join(cases, cases.c.id == incidents.c.case_id)
         .outerjoin(tasks, tasks.c.id == incidents.c.task_id).where(incidents.c.id == incident_id))
    return conn.execute(q).first()


def resolve(conn: Connection, incident_ids: list[int], now: datetime) -> int:
    if not incident_ids:
        return 0
    return conn.execute(update(incidents).where(incidents.c.id.in_(incident_ids), incidents.c.resolved_at.is_(None))
                        .values(resolved_at=now)).rowcount


def resolve_for_case(conn: Connection, case_id: int, now: datetime) -> int:
    return conn.execute(update(incidents).where(incidents.c.case_id == case_id, incidents.c.resolved_at.is_(None))
                        .values(resolved_at=now)).rowcount


def failed_emails(conn: Connection, communities: list[str] | None, case_id: int | None = None) -> list:
    """Outbox rows that failed for good (every attempt used, or refused outright)."""
    q = (select(outbox.c.id, outbox.c.case_id, outbox.c.to_user, outbox.c.to_address, outbox.c.template,
                outbox.c.attempts, outbox.c.last_error, outbox.c.created_at, outbox.c.next_attempt_at,
                cases.c.case_number)
         .outerjoin(cases, cases.c.id == outbox.c.case_id).where(outbox.c.status == "failed"))
    if case_id is not None:
        q = q.where(outbox.c.case_id == case_id)
    if (scoped := _scope(communities)) is not None:
        q = q.where(or_(outbox.c.case_id.is_(None), scoped))
    return list(conn.execute(q.order_by(outbox.c.next_attempt_at.desc(), outbox.c.id.desc()).limit(500)))


def lock_email(conn: Connection, outbox_id: int):
    q = select(outbox.c.id, outbox.c.case_id, outbox.c.status, outbox.c.attempts, outbox.c.last_error,
               outbox.c.template, outbox.c.to_address).where(outbox.c.id == outbox_id)
    return conn.execute(q.with_for_update()).first()


def requeue_email(conn: Connection, outbox_id: int, now: datetime) -> bool:
    """Pending again with every attempt back; the dispatcher sends it with the next sweep."""
    return conn.execute(update(outbox).where(outbox.c.id == outbox_id, outbox.c.status == "failed")
                        .values(status="pending", attempts=0, next_attempt_at=now, claimed_until=None)).rowcount == 1


def drop_email(conn: Connection, outbox_id: int) -> bool:
    return conn.execute(update(outbox).where(outbox.c.id == outbox_id, outbox.c.status == "failed")
                        .values(status="dropped", claimed_until=None)).rowcount == 1


def stuck_cases(conn: Connection, communities: list[str] | None) -> list:
    """Active cases with no open task and no waiting timer: nothing will ever move them."""
    q = (select(cases.c.id, cases.c.case_number, cases.c.process_key, cases.c.community, cases.c.updated_at,
                cases.c.created_at)
         .where(cases.c.status == "active", cases.c.next_timer_at.is_(None),
                ~exists().where(tasks.c.case_id == cases.c.id, _OPEN_TASK)))
    if (scoped := _scope(communities)) is not None:
        q = q.where(scoped)
    return list(conn.execute(q.order_by(cases.c.updated_at).limit(500)))


def set_status(conn: Connection, case_id: int, status: str, now: datetime) -> None:
    conn.execute(update(cases).where(cases.c.id == case_id).values(status=status, updated_at=now))


def log(conn: Connection, at: datetime, actor: str, action: str, *, case_id: int | None = None,
        incident_id: int | None = None, outbox_id: int | None = None, reason: str | None = None,
        data: dict | None = None) -> int:
    return conn.execute(exception_actions.insert().values(
        at=at, actor=actor, action=action, case_id=case_id, incident_id=incident_id, outbox_id=outbox_id,
        reason=reason, data=data or {}).returning(exception_actions.c.id)).scalar_one()


def last_action(conn: Connection, case_id: int, action: str):
    q = (select(exception_actions).where(exception_actions.c.case_id == case_id, exception_actions.c.action == action)
         .order_by(exception_actions.c.id.desc()).limit(1))
    return conn.execute(q).first()


def actions_for_case(conn: Connection, case_id: int) -> list:
    q = select(exception_actions).where(exception_actions.c.case_id == case_id).order_by(exception_actions.c.id)
    return list(conn.execute(q))
