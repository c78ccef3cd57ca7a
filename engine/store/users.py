"""Users, their communities and their login sessions."""

from datetime import datetime

from sqlalchemy import Connection, bindparam, delete, func, select, update

from engine.store.tables import sessions, user_communities, users
from engine.store.wire import first_row

_USER = (users.c.id, users.c.username, users.c.display_name, users.c.role, users.c.email, users.c.locale,
         users.c.active, users.c.digest_opt_out, users.c.created_at, users.c.must_change_password)


def insert(conn: Connection, *, username: str, password_hash: str, role: str, communities: list[str],
           email: str | None, display_name: str | None, locale: str, now: datetime) -> int:
    uid = conn.execute(
        users.insert()
        .values(username=username, password_hash=password_hash, role=role, email=email,
                display_name=display_name, locale=locale, active=True, digest_opt_out=False, created_at=now)
        .returning(users.c.id)
    ).scalar_one()
    set_communities(conn, uid, communities)
    return uid


def set_communities(conn: Connection, user_id: int, communities: list[str]) -> None:
    conn.execute(delete(user_communities).where(user_communities.c.user_id == user_id))
    if communities:
        conn.execute(user_communities.insert(), [{"user_id": user_id, "community": c} for c in sorted(set(communities))])


def by_username(conn: Connection, username: str):
    return conn.execute(select(*_USER, users.c.password_hash).where(users.c.username == username)).first()


def by_id(conn: Connection, user_id: int):
    return conn.execute(select(*_USER).where(users.c.id == user_id)).first()


def communities(conn: Connection, user_id: int) -> list[str]:
    rows = conn.execute(select(user_communities.c.community).where(user_communities.c.user_id == user_id)
                        .order_by(user_communities.c.community))
    return [r.community for r in rows]




def set_password(conn: Connection, user_id: int, password_hash: str) -> None:
    conn.execute(update(users).where(users.c.id == user_id).values(password_hash=password_hash))


def set_preferences(conn: Connection, user_id: int, values: dict) -> None:
    """Own settings a user may change: language (zh-CN/en) and the daily digest opt-out."""
    if values:
        conn.execute(update(users).where(users.c.id == user_id).values(**values))




# -- sessions -------------------------------------------------------------------------------
def open_session(conn: Connection, *, sid: str, user_id: int, refresh_hash: str, now: datetime,
                 expires_at: datetime) -> None:
    conn.execute(sessions.insert().values(id=sid, user_id=user_id, refresh_hash=refresh_hash, created_at=now,
                                          expires_at=expires_at))


# A session's user with their communities in the same row (one statement per authenticated request):
# joined by COMMUNITY_SEP, in no particular order (``session_communities`` splits and sorts them).
COMMUNITY_SEP = "\x1f"
_COMMUNITIES = (select(func.aggregate_strings(user_communities.c.community, COMMUNITY_SEP))
                .where(user_communities.c.user_id == users.c.id).scalar_subquery())
_SESSION_USER = (
    select(*_USER, sessions.c.id.label("session_id"), sessions.c.expires_at, sessions.c.revoked_at,
           sessions.c.refresh_hash, _COMMUNITIES.label("communities"))
    .join(users, users.c.id == sessions.c.user_id)
)
_BY_SID = _SESSION_USER.where(sessions.c.id == bindparam("sid"))
_BY_REFRESH = _SESSION_USER.where(sessions.c.refresh_hash == bindparam("h"))


def session_user(conn: Connection, sid: str):
    """The user of a session (with the session's expiry and revocation and the user's communities), one query:
    a request's first, so on PostgreSQL it goes with the transaction's BEGIN (``engine.store.wire``)."""
    return first_row(conn, _BY_SID, {"sid": sid})


def session_communities(row) -> list[str]:
    """The communities of a ``session_user`` / ``session_by_refresh`` row, sorted."""
    return sorted(row.communities.split(COMMUNITY_SEP)) if row.communities else []


def session_by_refresh(conn: Connection, refresh_hash: str):
    return first_row(conn, _BY_REFRESH, {"h": refresh_hash})


def rotate_refresh(conn: Connection, sid: str, old_hash: str, new_hash: str, expires_at: datetime) -> bool:
    res = conn.execute(update(sessions)
                       .where(sessions.c.id == sid, sessions.c.refresh_hash == old_hash,
                              sessions.c.revoked_at.is_(None))
                       .values(refresh_hash=new_hash, expires_at=expires_at))
    return res.rowcount == 1


def revoke_session(conn: Connection, sid: str, now: datetime) -> None:
    conn.execute(update(sessions).where(sessions.c.id == sid, sessions.c.revoked_at.is_(None)).values(revoked_at=now))


def revoke_user_sessions(conn: Connection, user_id: int, now: datetime) -> None:
    conn.execute(update(sessions).where(sessions.c.user_id == user_id, sessions.c.revoked_at.is_(None))
                 .values(revoked_at=now))
