"""Case parties as matchable rows (keyed hashes) for duplicate and repeat checks."""

from datetime import datetime

from sqlalchemy import Connection, and_, delete, func, or_, select

from engine.store.tables import case_parties, cases


def replace(conn: Connection, case_id: int, rows: list[dict], new: bool = False) -> None:
    """The case's party rows become ``rows`` (a new case has none to delete)."""
    if not new:
        conn.execute(delete(case_parties).where(case_parties.c.case_id == case_id))
    if rows:
        conn.execute(case_parties.insert(), [{**r, "case_id": case_id} for r in rows])


def _match(id_hashes: list[str], name_phones: list[tuple[str, str]]):
    conds = []
    if id_hashes:
        conds.append(case_parties.c.id_hash.in_(id_hashes))
    for name, phone_hash in name_phones:
        conds.append(and_(case_parties.c.name == name, case_parties.c.phone_hash == phone_hash))
    return or_(*conds) if conds else None


def related_cases(conn: Connection, id_hashes: list[str], name_phones: list[tuple[str, str]],
                  exclude_case: int | None = None, limit: int = 20) -> list:
    """Cases sharing a party (same ID number, or same name and phone), newest first."""
    cond = _match(id_hashes, name_phones)
    if cond is None:
        return []
    q = (select(cases.c.id, cases.c.case_number, cases.c.status, cases.c.dispute_type, cases.c.request_kind,
                cases.c.summary, cases.c.created_at, cases.c.community)
         .where(cases.c.id.in_(select(case_parties.c.case_id).where(cond)))
         .order_by(cases.c.created_at.desc()).limit(limit))
    if exclude_case is not None:
        q = q.where(cases.c.id != exclude_case)
    return list(conn.execute(q))


def petitions_since(conn: Connection, id_hashes: list[str], name_phones: list[tuple[str, str]], since: datetime,
                    exclude_case: int | None = None) -> int:
    cond = _match(id_hashes, name_phones)
    if cond is None:
        return 0
    q = (select(func.count(func.distinct(cases.c.id)))
         .select_from(cases.join(case_parties, case_parties.c.case_id == cases.c.id))
         .where(cond, cases.c.request_kind == "petition", cases.c.created_at >= since))
    if exclude_case is not None:
        q = q.where(cases.c.id != exclude_case)
    return conn.execute(q).scalar_one()
