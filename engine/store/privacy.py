"""SQL of personal-data protection: encrypted party values, the access log, key use, retention."""

from datetime import datetime

from sqlalchemy import Connection, delete, false, func, select, update

from engine.store.tables import attachments, case_parties, case_retention, cases, events, pii_access

CIPHER_COLUMNS = ("party_ref", "id_masked", "id_cipher", "phone_masked", "phone_cipher", "key_id")


def known_rows(conn: Connection, case_id: int) -> dict[str, dict]:
    """The case's party rows by ``party_ref`` (for parties sent back with masked values, and the full view)."""
    q = select(*(case_parties.c[c] for c in CIPHER_COLUMNS)).where(
        case_parties.c.case_id == case_id, case_parties.c.party_ref.is_not(None))
    return {r.party_ref: dict(r._mapping) for r in conn.execute(q)}


def log_access(conn: Connection, rows: list[dict]) -> None:
    if rows:
        conn.execute(pii_access.insert(), rows)


def access_log(conn: Connection, *, limit: int = 100, case_id: int | None = None, actor: str | None = None) -> list:
    q = select(pii_access).order_by(pii_access.c.id.desc()).limit(limit)
    if case_id is not None:
        q = q.where(pii_access.c.case_id == case_id)
    if actor is not None:
        q = q.where(pii_access.c.actor == actor)
    return list(conn.execute(q))


def cases_with_id(conn: Connection, id_hash: str, communities: list[str] | None, limit: int = 50) -> list:
    """Cases (in ``communities``; None: all) with a party of this keyed ID hash, newest first, with the party."""
    q = (select(cases.c.id, cases.c.case_number, cases.c.status, cases.c.process_key, cases.c.dispute_type,
                cases.c.community, cases.c.created_at, case_parties.c.party_ref, case_parties.c.name,
                case_parties.c.role, case_parties.c.id_masked)
         .select_from(cases.join(case_parties, case_parties.c.case_id == cases.c.id))
         .where(case_parties.c.id_hash == id_hash).order_by(cases.c.created_at.desc(), cases.c.id.desc())
         .limit(limit))
    if communities is not None:
        q = q.where(cases.c.community.in_(communities) if communities else false())
    return list(conn.execute(q))


# ----------------------------------------------------------------------------- keys
def key_use(conn: Connection) -> dict[str, int]:
    """Party rows per data key id."""
    q = (select(case_parties.c.key_id, func.count()).where(case_parties.c.key_id.is_not(None))
         .group_by(case_parties.c.key_id))
    return {k: n for k, n in conn.execute(q)}


def rows_not_under(conn: Connection, key_id: str, limit: int = 500) -> list:
    q = (select(case_parties.c.id, case_parties.c.id_cipher, case_parties.c.phone_cipher, case_parties.c.key_id)
         .where(case_parties.c.key_id.is_not(None), case_parties.c.key_id != key_id)
         .order_by(case_parties.c.id).limit(limit))
    return list(conn.execute(q))


def set_cipher(conn: Connection, row_id: int, id_cipher: str | None, phone_cipher: str | None, key_id: str) -> None:
    conn.execute(update(case_parties).where(case_parties.c.id == row_id)
                 .values(id_cipher=id_cipher, phone_cipher=phone_cipher, key_id=key_id))


# ----------------------------------------------------------------------------- retention
def closed_cases(conn: Connection, before: datetime) -> list:
    """Completed or cancelled cases closed before ``before`` and not anonymised yet, oldest first."""
    done = select(case_retention.c.case_id)
    q = (select(cases.c.id, cases.c.case_number, cases.c.process_key, cases.c.request_kind, cases.c.status,
                cases.c.completed_at)
         .where(cases.c.status.in_(("completed", "cancelled")), cases.c.completed_at.is_not(None),
                cases.c.completed_at < before, cases.c.id.not_in(done))
         .order_by(cases.c.completed_at, cases.c.id))
    return list(conn.execute(q))


def case_content(conn: Connection, case_id: int):
    return conn.execute(select(cases.c.data, cases.c.state, cases.c.summary).where(cases.c.id == case_id)).one()


def case_events(conn: Connection, case_id: int) -> list:
    return list(conn.execute(select(events.c.id, events.c.data).where(events.c.case_id == case_id)))


def anonymise(conn: Connection, case_id: int, *, data: dict, state: str, event_data: dict[int, dict],
              summary_removed: bool, record: dict) -> dict:
    """Write the anonymised case; returns the counts removed (party rows, attachments)."""
    parties = conn.execute(delete(case_parties).where(case_parties.c.case_id == case_id)).rowcount
    files = conn.execute(delete(attachments).where(attachments.c.case_id == case_id)).rowcount
    values = {"data": data, "state": state}
    if summary_removed:
        values["summary"] = None
    conn.execute(update(cases).where(cases.c.id == case_id).values(**values))
    for event_id, d in event_data.items():
        conn.execute(update(events).where(events.c.id == event_id).values(data=d))
    conn.execute(case_retention.insert().values(case_id=case_id, **record))
    return {"party_rows": parties, "attachments": files}


def anonymised(conn: Connection, limit: int = 100) -> list:
    return list(conn.execute(select(case_retention).order_by(case_retention.c.anonymised_at.desc()).limit(limit)))


