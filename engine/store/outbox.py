"""Outbox rows: insert once per dedupe key, claim due rows under a lease, record each attempt.

Statuses: pending (waiting for its next attempt), sending (a worker holds it until
``claimed_until``), sent, failed (gave up). Digest queries read a user's open tasks.
"""

from datetime import datetime, timedelta

from sqlalchemy import Connection, and_, bindparam, exists, literal_column, or_, select, update
from sqlalchemy import case as when
from sqlalchemy.dialects import postgresql, sqlite

from engine.store.tables import cases, outbox, tasks, user_communities, users

# Seconds to wait after the 1st, 2nd, … failed attempt; the last value repeats.
BACKOFF = (30, 120, 600, 3600, 3 * 3600, 6 * 3600)
SEES_ALL = ("supervisor", "leader", "admin")
_OPEN_TASK = tasks.c.status.in_([literal_column("'ready'"), literal_column("'claimed'")])


def backoff(attempts: int) -> timedelta:
    """Wait after ``attempts`` failed attempts (1 → 30 s, 2 → 2 min, 3 → 10 min, 4 → 1 h, …)."""
    return timedelta(seconds=BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1])


def insert(conn: Connection, values: dict) -> int | None:
    """Insert a pending row; None when its dedupe_key exists already (nothing written)."""
    ins = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(outbox)
    stmt = (
        ins.values(status="pending", attempts=0, next_attempt_at=values["created_at"], **values)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(outbox.c.id)
    )
    return conn.execute(stmt).scalar_one_or_none()


def get(conn: Connection, outbox_id: int):
    return conn.execute(select(outbox).where(outbox.c.id == outbox_id)).first()


_NOW = bindparam("now")
_PENDING_DUE = and_(outbox.c.status == "pending", outbox.c.next_attempt_at <= _NOW)
_LEASE_FREE = or_(outbox.c.claimed_until.is_(None), outbox.c.claimed_until < _NOW)
# A row whose sender died mid-attempt (lease expired while 'sending') is due again.
_DUE = or_(and_(_PENDING_DUE, _LEASE_FREE), and_(outbox.c.status == "sending", outbox.c.claimed_until < _NOW))


def claim_due(conn: Connection, now: datetime, lease_until: datetime, limit: int = 500) -> list[int]:
    """Ids of due rows, leased to this dispatcher; concurrent claimers skip each other's rows."""
    q = select(outbox.c.id).where(_DUE).order_by(outbox.c.next_attempt_at, outbox.c.id).limit(limit)
    if conn.dialect.name == "postgresql":
        q = q.with_for_update(skip_locked=True)
    ids = list(conn.execute(q, {"now": now}).scalars())
    if ids:  # a lost attempt (lease expired while sending) counts, and the row is pending again
        lost = outbox.c.status == "sending"
        conn.execute(
            update(outbox)
            .where(outbox.c.id.in_(ids))
            .values(
                claimed_until=lease_until,
                status="pending",
                attempts=outbox.c.attempts + when((lost, 1), else_=0),
                last_error=when((lost, "lease expired while sending"), else_=outbox.c.last_error),
            )
        )
    return ids


def start_sending(conn: Connection, outbox_id: int, now: datetime, lease_until: datetime):
    """Take the row for one attempt (pending and due, or sending with an expired lease); None if not.

    The dispatcher's lease on a pending row does not stop the worker it handed the row to;
    the conditional update makes one worker win when the same row is delivered twice.
    """
    taken = conn.execute(
        update(outbox)
        .where(
            outbox.c.id == outbox_id,
            or_(_PENDING_DUE, and_(outbox.c.status == "sending", outbox.c.claimed_until < _NOW)),
        )
        .values(status="sending", claimed_until=lease_until),
        {"now": now},
    ).rowcount
    return get(conn, outbox_id) if taken == 1 else None


def renew_sending(conn: Connection, outbox_id: int, lease_until: datetime) -> bool:
    """Extend the lease of a row being sent (never shortens it); False when it is not being sent."""
    return (
        conn.execute(
            update(outbox)
            .where(outbox.c.id == outbox_id, outbox.c.status == "sending", outbox.c.claimed_until < lease_until)
            .values(claimed_until=lease_until)
        ).rowcount
        == 1
    )


def mark_sent(conn: Connection, outbox_id: int, now: datetime) -> None:
    conn.execute(
        update(outbox)
        .where(outbox.c.id == outbox_id, outbox.c.status.in_(["sending", "pending"]))
        .values(
            status="sent", sent_at=now, claimed_until=None, attempts=outbox.c.attempts + 1, last_error=None
        )
    )


def mark_failed(
    conn: Connection, outbox_id: int, error: str, now: datetime, *, max_attempts: int, permanent: bool = False
) -> str:
    """Count a failed attempt: pending again after the backoff, or failed for good; returns the status."""
    row = conn.execute(select(outbox.c.attempts, outbox.c.status).where(outbox.c.id == outbox_id)).first()
    if row is None or row.status == "sent":
        return row.status if row else "missing"
    attempts = row.attempts + 1
    status = "failed" if permanent or attempts >= max_attempts else "pending"
    conn.execute(
        update(outbox)
        .where(outbox.c.id == outbox_id)
        .values(
            status=status,
            attempts=attempts,
            claimed_until=None,
            last_error=error[:2000],
            next_attempt_at=now + backoff(attempts) if status == "pending" else now,
        )
    )
    return status


# -- recipients and digests ---------------------------------------------------------------------
def _serves(community):
    """The user works in ``community``: listed for it, or sees every community and lists none."""
    listed = exists().where(user_communities.c.user_id == users.c.id)
    return or_(
        exists().where(user_communities.c.user_id == users.c.id, user_communities.c.community == community),
        and_(users.c.role.in_(SEES_ALL), ~listed),
    )


def recipients(
    conn: Connection, role: str | None, community: str | None, usernames: list[str] | None
) -> list[str]:
    """Usernames of active users with an email, filtered by role, community and names."""
    q = select(users.c.username).where(
        users.c.active.is_(True), users.c.email.is_not(None), users.c.email != ""
    )
    if role is not None:
        q = q.where(users.c.role == role)
    if community is not None:
        q = q.where(_serves(community))
    if usernames is not None:
        q = q.where(users.c.username.in_(usernames))
    return list(conn.execute(q.order_by(users.c.username)).scalars())


def recipient(conn: Connection, username: str):
    return conn.execute(
        select(users.c.username, users.c.email, users.c.locale, users.c.active, users.c.display_name).where(
            users.c.username == username
        )
    ).first()


def digest_users(conn: Connection) -> list:
    """Active users with an email who did not opt out of the digest, with their communities."""
    rows = list(
        conn.execute(
            select(users.c.id, users.c.username, users.c.display_name, users.c.role)
            .where(
                users.c.active.is_(True),
                users.c.email.is_not(None),
                users.c.email != "",
                users.c.digest_opt_out.is_(False),
            )
            .order_by(users.c.username)
        )
    )
    served: dict[int, list[str]] = {}
    for r in conn.execute(select(user_communities.c.user_id, user_communities.c.community)):
        served.setdefault(r.user_id, []).append(r.community)
    return [(r, sorted(served.get(r.id, []))) for r in rows]


def digest_tasks(
    conn: Connection,
    *,
    username: str,
    group: str | None,
    communities: list[str] | None,
    until: datetime,
    limit: int = 100,
) -> list:
    """Open tasks due by ``until`` (overdue included): assigned to the user, or unclaimed in the
    user's group and communities (``communities`` None: every community)."""
    mine = tasks.c.assignee == username
    conds = [mine]
    if group is not None:
        unclaimed = and_(tasks.c.assignee.is_(None), tasks.c.candidate_group == group)
        if communities is not None:
            unclaimed = and_(unclaimed, cases.c.community.in_(communities or ["-"]))
        conds.append(unclaimed)
    q = (
        select(
            tasks.c.id,
            tasks.c.case_id,
            tasks.c.name,
            tasks.c.due_at,
            tasks.c.assignee,
            cases.c.case_number,
            cases.c.community,
        )
        .join(cases, cases.c.id == tasks.c.case_id)
        .where(_OPEN_TASK, tasks.c.due_at.is_not(None), tasks.c.due_at <= until, or_(*conds))
        .order_by(tasks.c.due_at, tasks.c.id)
        .limit(limit)
    )
    return list(conn.execute(q))
