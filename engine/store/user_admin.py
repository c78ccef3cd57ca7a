"""SQL of user administration: the admins' list with filters, locked reads for the last-admin rule,
updates, the audit rows, ending a user's other sessions."""

from datetime import datetime

from sqlalchemy import Connection, func, insert, or_, select, update

from engine.store.tables import sessions, user_audit, user_communities, users

_LIST = (users.c.id, users.c.username, users.c.display_name, users.c.role, users.c.email, users.c.active,
         users.c.must_change_password, users.c.created_at)


def listing(conn: Connection, *, role: str | None = None, community: str | None = None,
            active: bool | None = None, q: str | None = None, user_id: int | None = None) -> list[dict]:
    """Users by username with their communities and last login; filtered by role, community, status and a
    part of the username, display name or email."""
    stmt = select(*_LIST).order_by(users.c.username)
    if user_id is not None:
        stmt = stmt.where(users.c.id == user_id)
    if role is not None:
        stmt = stmt.where(users.c.role == role)
    if active is not None:
        stmt = stmt.where(users.c.active == active)
    if community is not None:
        stmt = stmt.where(users.c.id.in_(select(user_communities.c.user_id)
                                         .where(user_communities.c.community == community)))
    if q:
        like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(or_(users.c.username.ilike(like, escape="\\"), users.c.display_name.ilike(like, escape="\\"),
                              users.c.email.ilike(like, escape="\\")))
    rows = [dict(r._mapping) for r in conn.execute(stmt)]
    if not rows:
        return rows
    ids = [r["id"] for r in rows]
    comms: dict[int, list[str]] = {}
    for r in conn.execute(select(user_communities.c.user_id, user_communities.c.community)
                          .where(user_communities.c.user_id.in_(ids)).order_by(user_communities.c.community)):
        comms.setdefault(r.user_id, []).append(r.community)
    last = dict(conn.execute(select(sessions.c.user_id, func.max(sessions.c.created_at))
                             .where(sessions.c.user_id.in_(ids)).group_by(sessions.c.user_id)).all())
    for r in rows:
        r["communities"] = comms.get(r["id"], [])
        r["last_login_at"] = last.get(r["id"])
    return rows


def locked(conn: Connection, user_id: int):
    """The user's row, locked for the change (FOR UPDATE on PostgreSQL)."""
    return conn.execute(select(*_LIST, users.c.locale).where(users.c.id == user_id).with_for_update()).first()


def active_admins(conn: Connection) -> list[int]:
    """Ids of the active admins, locked: two admins demoting each other at once cannot both succeed."""
    return [r.id for r in conn.execute(select(users.c.id).where(users.c.role == "admin", users.c.active.is_(True))
                                       .order_by(users.c.id).with_for_update())]


def update_user(conn: Connection, user_id: int, values: dict) -> None:
    if values:
        conn.execute(update(users).where(users.c.id == user_id).values(**values))


def password_hash(conn: Connection, user_id: int) -> str | None:
    return conn.execute(select(users.c.password_hash).where(users.c.id == user_id)).scalar_one_or_none()


def audit(conn: Connection, *, at: datetime, actor: str, user_id: int, username: str, action: str,
          old: dict | None = None, new: dict | None = None) -> None:
    conn.execute(insert(user_audit).values(at=at, actor=actor, user_id=user_id, username=username, action=action,
                                           old=old, new=new))


def audit_rows(conn: Connection, user_id: int, limit: int = 500) -> list[dict]:
    """The user's audit, newest first."""
    stmt = (select(user_audit.c.id, user_audit.c.at, user_audit.c.actor, user_audit.c.action, user_audit.c.old,
                   user_audit.c.new)
            .where(user_audit.c.user_id == user_id).order_by(user_audit.c.at.desc(), user_audit.c.id.desc())
            .limit(limit))
    return [dict(r._mapping) for r in conn.execute(stmt)]


def revoke_other_sessions(conn: Connection, user_id: int, keep_sid: str | None, now: datetime) -> None:
    stmt = update(sessions).where(sessions.c.user_id == user_id, sessions.c.revoked_at.is_(None))
    if keep_sid:
        stmt = stmt.where(sessions.c.id != keep_sid)
    conn.execute(stmt.values(revoked_at=now))
