"""Failed logins (throttling, lockout, the admins' list) and rotated refresh tokens."""

from datetime import datetime

from sqlalchemy import Connection, case, delete, func, select, update

from engine.store.login_tables import login_failures as lf
from engine.store.login_tables import refresh_rotations as rr


def lock_account(conn: Connection, username: str) -> None:
    """Serialize the login attempts of one account name until the transaction ends, so parallel guesses
    each see the failures before them (PostgreSQL advisory lock; SQLite already serializes writers)."""
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(func.hashtext("login:" + username[:100]))))


def record_failure(conn: Connection, *, username: str, address: str, kind: str, now: datetime) -> None:
    conn.execute(lf.insert().values(username=username[:100], address=address[:64], kind=kind, at=now))


def failures(conn: Connection, *, since: datetime, username: str | None = None,
             address: str | None = None) -> tuple[int, datetime | None]:
    """(count, latest) of the uncleared wrong-password rows of an account or an address since ``since``."""
    key = lf.c.username == username[:100] if username is not None else lf.c.address == address[:64]
    row = conn.execute(select(func.count(), func.max(lf.c.at))
                       .where(key, lf.c.at > since, lf.c.kind == "failed", lf.c.cleared_at.is_(None))).one()
    return row[0], row[1]


def clear(conn: Connection, *, now: datetime, username: str | None = None, address: str | None = None) -> int:
    """Clear the account's (or the address's) counted failures; returns how many rows were cleared."""
    key = lf.c.username == username[:100] if username is not None else lf.c.address == address[:64]
    return conn.execute(update(lf).where(key, lf.c.cleared_at.is_(None)).values(cleared_at=now)).rowcount


def purge(conn: Connection, before: datetime) -> None:
    conn.execute(delete(lf).where(lf.c.at < before))


def grouped(conn: Connection, column: str, since: datetime) -> list:
    """Per account or per address: uncleared failures since ``since``, the latest, refused-while-throttled."""
    col = lf.c[column]
    failed = func.sum(case((lf.c.kind == "failed", 1), else_=0))
    rows = conn.execute(
        select(col.label("key"), failed.label("failures"),
               func.count().label("attempts"), func.max(lf.c.at).label("last_at"))
        .where(lf.c.at > since, lf.c.cleared_at.is_(None)).group_by(col)
        .order_by(func.max(lf.c.at).desc()).limit(500))
    return list(rows)


def recent(conn: Connection, limit: int) -> list:
    return list(conn.execute(select(lf.c.username, lf.c.address, lf.c.kind, lf.c.at, lf.c.cleared_at)
                             .order_by(lf.c.at.desc(), lf.c.id.desc()).limit(limit)))


# -- refresh tokens rotated away ---------------------------------------------------------------
def remember_rotation(conn: Connection, refresh_hash: str, session_id: str, now: datetime) -> None:
    conn.execute(rr.insert().values(refresh_hash=refresh_hash, session_id=session_id, rotated_at=now))


def rotated_session(conn: Connection, refresh_hash: str) -> str | None:
    """The session a rotated-away refresh token belonged to, if it is one."""
    return conn.execute(select(rr.c.session_id).where(rr.c.refresh_hash == refresh_hash)).scalar_one_or_none()


def purge_rotations(conn: Connection, before: datetime) -> None:
    conn.execute(delete(rr).where(rr.c.rotated_at < before))
