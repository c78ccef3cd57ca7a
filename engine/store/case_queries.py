"""Case queries for the HTTP API: the filtered, scoped case list, case detail, party history.

Every value from a request goes in as a bound parameter; LIKE patterns are escaped by the caller's
``like_pattern`` (here) so ``%`` and ``_`` match themselves.
"""

from datetime import datetime

from sqlalchemy import (
    ARRAY,
    Connection,
    String,
    and_,
    any_,
    bindparam,
    case,
    exists,
    false,
    func,
    or_,
    select,
    text,
    update,
)

from engine.store.case_clocks import DATES
from engine.store.events import FOR_CASE
from engine.store.parties import _match
from engine.store.tables import (
    attachments,
    case_dates,
    case_parties,
    case_pauses,
    cases,
    deadlines,
    definitions,
    events,
    tasks,
)
from engine.store.tasks import OPEN_AND_DONE
from engine.store.wire import read_all

OPEN = ("ready", "claimed")
LIKE_ESCAPE = "\\"

_LIST = (cases.c.id, cases.c.case_number, cases.c.status, cases.c.process_key, cases.c.dispute_type,
         cases.c.channel, cases.c.community, cases.c.summary, cases.c.amount, cases.c.risk_level, cases.c.outcome,
         cases.c.repeat_petitioner, cases.c.created_at, cases.c.updated_at)

_DETAIL = (*_LIST, cases.c.data, cases.c.source, cases.c.request_kind, cases.c.people_count, cases.c.difficult,
           cases.c.owner, cases.c.created_by, cases.c.completed_at, cases.c.next_timer_at, cases.c.definition_id,
           cases.c.paused_at, definitions.c.version, cases.c.over_level, cases.c.visit_count, cases.c.leader,
           cases.c.element_states, cases.c.filed_at)

# What the case page would read in vain: a flag for each of the case's other rows (an index probe each), so
# the page sends no SELECT for what the case does not have (engine.cases.read.detail).
_HAS = tuple(exists().where(t.c.case_id == cases.c.id).label(f"has_{name}")
             for name, t in (("deadlines", deadlines), ("attachments", attachments), ("dates", case_dates),
                             ("pauses", case_pauses), ("parties", case_parties)))

_RELATED = (cases.c.id, cases.c.case_number, cases.c.status, cases.c.dispute_type, cases.c.request_kind,
            cases.c.created_at, cases.c.community)


def like_pattern(text: str) -> str:
    """``%text%`` with the LIKE wildcards (and the escape character) escaped."""
    escaped = text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%").replace("_", LIKE_ESCAPE + "_")
    return f"%{escaped}%"


def _scope(communities: list[str] | None):
    """None: every community; a list: only those (an empty list matches nothing)."""
    if communities is None:
        return None
    return cases.c.community.in_(communities) if communities else false()


def _open_task_count():
    return (select(func.count()).select_from(tasks)
            .where(tasks.c.case_id == cases.c.id, tasks.c.status.in_(OPEN))
            .scalar_subquery())


def search(conn: Connection, *, communities: list[str] | None, now: datetime, status: str | None = None,
           dispute_type: str | None = None, channel: str | None = None, community: str | None = None,
           created_from: datetime | None = None, created_before: datetime | None = None,
           overdue: bool | None = None, text: str | None = None, after: tuple[datetime, int] | None = None,
           limit: int = 20) -> list:
    """One page of cases, newest first (created_at, id), with each case's open task count.

    ``after`` is the (created_at, id) of the last row of the previous page (keyset pagination).
    """
    conds = [c for c in (_scope(communities),) if c is not None]
    for column, value in ((cases.c.status, status), (cases.c.dispute_type, dispute_type),
                          (cases.c.channel, channel), (cases.c.community, community)):
        if value is not None:
            conds.append(column == value)
    if created_from is not None:
        conds.append(cases.c.created_at >= created_from)
    if created_before is not None:
        conds.append(cases.c.created_at < created_before)
    if overdue is not None:
        late_task = exists().where(tasks.c.case_id == cases.c.id, tasks.c.status.in_(OPEN), tasks.c.due_at < now)
        late_timer = and_(cases.c.status == "active", cases.c.next_timer_at.is_not(None), cases.c.next_timer_at < now)
        late = or_(late_task, late_timer)
        conds.append(late if overdue else ~late)
    if text:
        pattern = like_pattern(text)
        by_party = exists().where(case_parties.c.case_id == cases.c.id,
                                  case_parties.c.name.ilike(pattern, escape=LIKE_ESCAPE))
        conds.append(or_(cases.c.summary.ilike(pattern, escape=LIKE_ESCAPE), by_party))
    if after is not None:
        at, last_id = after
        conds.append(or_(cases.c.created_at < at, and_(cases.c.created_at == at, cases.c.id < last_id)))
    q = (select(*_LIST, _open_task_count().label("open_tasks"))
         .where(*conds)
         .order_by(cases.c.created_at.desc(), cases.c.id.desc())
         .limit(limit))
    return list(conn.execute(q))


_DETAIL_ROW = (select(*_DETAIL, *_HAS).join(definitions, definitions.c.id == cases.c.definition_id)
               .where(cases.c.id == bindparam("case_id")))  # built once: the case page's first read
_DETAIL_SCOPED = _DETAIL_ROW.where(cases.c.community.in_(bindparam("communities", expanding=True)))


# PostgreSQL's hot path takes arrays (wire.read_all): the communities as ANY of one array parameter
_DETAIL_SCOPED_ANY = _DETAIL_ROW.where(cases.c.community == any_(bindparam("communities", type_=ARRAY(String))))


def page(conn: Connection, case_id: int, communities: list[str] | None) -> tuple:
    """The case page's first reads, in one round trip on PostgreSQL (``engine.store.wire.read_all``): the case row
    with its version and whether it has deadlines, attachments, dates, pauses and parties (``has_deadlines`` …),
    its open and completed tasks (``tasks.OPEN_AND_DONE``), its dates and its events; the row is None (and the
    rest is to be dropped) when the case is missing or outside ``communities``."""
    if communities is not None and not communities:
        return None, [], [], []
    if communities is None:
        first = (_DETAIL_ROW, {"case_id": case_id})
    elif conn.dialect.name == "postgresql":
        first = (_DETAIL_SCOPED_ANY, {"case_id": case_id, "communities": list(communities)})
    else:
        first = (_DETAIL_SCOPED, {"case_id": case_id, "communities": communities})
    key = {"case_id": case_id}
    rows, tasks_rows, dates, evs = read_all(conn, [first, (OPEN_AND_DONE, key), (DATES, key), (FOR_CASE, key)])
    return (rows[0] if rows else None), tasks_rows, dates, evs


def visible(conn: Connection, case_id: int, communities: list[str] | None) -> bool:
    q = select(cases.c.id).where(cases.c.id == case_id)
    scope = _scope(communities)
    if scope is not None:
        q = q.where(scope)
    return conn.execute(q).first() is not None


_LOCK_PARTIES = text(
    "SELECT count(pg_advisory_xact_lock(h)) FROM (SELECT DISTINCT hashtext('party:' || k) AS h"
    " FROM unnest(CAST(:keys AS text[])) AS k ORDER BY h) AS s")


def lock_parties(conn: Connection, id_hashes: list[str], name_phones: list[tuple[str, str]]) -> None:
    """Serialize intakes of the same parties until commit, so two windows cannot both accept one matter.

    PostgreSQL: transaction advisory locks taken in a fixed order; SQLite already serializes writers.
    """
    keys = [f"id:{h}" for h in id_hashes] + [f"np:{n}:{p}" for n, p in name_phones]
    if keys and conn.dialect.name == "postgresql":
        conn.execute(_LOCK_PARTIES, {"keys": keys})


def party_history(conn: Connection, id_hashes: list[str], name_phones: list[tuple[str, str]], *,
                  dispute_type: str | None, request_kind: str | None, petitions_since: datetime,
                  limit: int = 20) -> tuple[list, int]:
    """Cases sharing a party (same ID number, or same name and phone), in one statement.

    Returns (rows, recent petitions): rows carry ``duplicate`` (an open case with the same dispute
    type and request kind; such rows come first, so none is cut off by ``limit``), then newest first.
    """
    cond = _match(id_hashes, name_phones)
    if cond is None:
        return [], 0
    related = select(case_parties.c.case_id).where(cond)
    duplicate = and_(cases.c.status == "active", cases.c.dispute_type == dispute_type,
                     cases.c.request_kind == request_kind) if dispute_type is not None else false()
    petitions = (select(func.count()).select_from(cases)
                 .where(cases.c.id.in_(related), cases.c.request_kind == "petition",
                        cases.c.created_at >= petitions_since)
                 .scalar_subquery())
    dup_flag = case((duplicate, 1), else_=0)
    rows = list(conn.execute(
        select(*_RELATED, dup_flag.label("duplicate"), petitions.label("recent_petitions"))
        .where(cases.c.id.in_(related))
        .order_by(dup_flag.desc(), cases.c.created_at.desc(), cases.c.id.desc())
        .limit(limit)
    ))
    return rows, (rows[0].recent_petitions if rows else 0)


# built once: an alias builds its column collection on first use, a cost paid on every case page otherwise
_MINE = case_parties.alias("mine")
_THEIRS = case_parties.alias("theirs")
_SHARING = select(_THEIRS.c.case_id).join(_MINE, or_(
    and_(_MINE.c.id_hash.is_not(None), _THEIRS.c.id_hash == _MINE.c.id_hash),
    and_(_MINE.c.phone_hash.is_not(None), _THEIRS.c.name == _MINE.c.name, _THEIRS.c.phone_hash == _MINE.c.phone_hash)))


def related_to_case(conn: Connection, case_id: int, communities: list[str] | None, limit: int = 20) -> list:
    """Other cases sharing a party with ``case_id`` (ID number, or name and phone), newest first."""
    related = _SHARING.where(_MINE.c.case_id == case_id)
    q = (select(*_RELATED).where(cases.c.id.in_(related), cases.c.id != case_id)
         .order_by(cases.c.created_at.desc(), cases.c.id.desc()).limit(limit))
    scope = _scope(communities)
    if scope is not None:
        q = q.where(scope)
    return list(conn.execute(q))


def flag_repeat_petitioner(conn: Connection, case_id: int, event: dict) -> None:
    """Mark the case as a repeat petitioner's and log it (``event``: a case_events row)."""
    conn.execute(update(cases).where(cases.c.id == case_id).values(repeat_petitioner=True))
    conn.execute(events.insert().values(**event))


def is_repeat_petitioner(conn: Connection, case_id: int) -> bool:
    return bool(conn.execute(select(cases.c.repeat_petitioner).where(cases.c.id == case_id)).scalar_one())


def workflow_row(conn: Connection, case_id: int):
    """The case's stored workflow state with its definition (no lock): for reading, never for stepping."""
    return conn.execute(select(cases.c.id, cases.c.state, cases.c.definition_id, definitions.c.content_hash)
                        .join(definitions, definitions.c.id == cases.c.definition_id)
                        .where(cases.c.id == case_id)).first()


def completed_task_elements(conn: Connection, case_id: int, process_key: str) -> list[str]:
    """Element ids of the case's completed user tasks of ``process_key``."""
    return list(conn.execute(select(tasks.c.element_id).distinct()
                             .where(tasks.c.case_id == case_id, tasks.c.status == "completed",
                                    tasks.c.process_key == process_key)
                             .order_by(tasks.c.element_id)).scalars())


def filed(conn: Connection, case_id: int):
    """(case_number, filed_at, status, paused_at) of the case, or None if there is no such case."""
    return conn.execute(select(cases.c.case_number, cases.c.filed_at, cases.c.status, cases.c.paused_at)
                        .where(cases.c.id == case_id)).first()
