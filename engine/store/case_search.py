"""The case search (案件查询): every filter as a bound parameter, whitelisted sorts, offset pages with a cap.

Filters (``Filters``) arrive checked and normalized by ``engine.cases.query``; LIKE patterns are escaped.
Party names match by substring (pg_trgm on PostgreSQL), phones and ID numbers by keyed hash
only, 案号 by (number, year).
"""

from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import (
    ARRAY,
    BigInteger,
    Connection,
    any_,
    bindparam,
    case,
    false,
    func,
    intersect,
    or_,
    select,
    union,
    union_all,
)

from engine.store.case_queries import LIKE_ESCAPE, OPEN, like_pattern
from engine.store.tables import case_parties, cases, tasks
from engine.store.tasks import OPEN_SQL

# sort key -> the columns of its order (the id last, so equal values keep one order)
SORTS = {
    "created_at": (cases.c.created_at,),
    "received_on": (cases.c.received_on,),
    "updated_at": (cases.c.updated_at,),
    "case_number": (cases.c.number_year, cases.c.number_seq),
}
APPLICANT_ROLES = ("applicant", "申请人")
SHORT_NAME = 3  # party names shorter than this match from their start (trigram indexes need three characters)


@dataclass
class Filters:
    communities: list[str] | None = None  # the user's scope (None: all)
    now: datetime | None = None
    number: tuple[int | None, int] | None = None  # 案号 (year or None, number)
    number_text: str | None = None  # an unparsable 案号: equal or contained
    name: str | None = None  # party name: contained (from SHORT_NAME characters) or starting
    phone_hashes: list[str] = field(default_factory=list)
    id_hashes: list[str] = field(default_factory=list)
    equal: dict = field(default_factory=dict)  # column name -> value: status, dispute_type, channel, community …
    risk_levels: list[str] = field(default_factory=list)
    group: bool | None = None
    group_people: int = 5
    stage: str | None = None
    overdue: bool | None = None
    ranges: dict = field(default_factory=dict)  # column -> (from, before) (dates or times; either may be None)
    case_ids: list[int] | None = None  # only these cases (``narrow``: the overdue cases at a step, found first)


def _contains(column, text: str):
    return column.ilike(like_pattern(text), escape=LIKE_ESCAPE)


def _starts(column, text: str):
    """The column's value starts with ``text``, in any case: ``lower(column) LIKE 'text%'``, a range of an index
    on ``lower(column)`` (``ix_case_parties_name_prefix``), whose statistics count the prefix truly."""
    return func.lower(column).like(like_pattern(text.lower())[1:], escape=LIKE_ESCAPE)


def _party_cases(cond, pg: bool):
    """Cases with a party matching ``cond``. On PostgreSQL the parties' case ids are gathered first, once, into
    an array looked up by key: with a name's two first characters PostgreSQL expected ~15 000 parties where 1 257
    matched (at 1M cases) and walked all cases by creation time instead (163 ms against 23 ms)."""
    parties = select(case_parties.c.case_id).where(cond)
    return cases.c.id == any_(func.array(parties.scalar_subquery())) if pg else cases.c.id.in_(parties)


def _late_cases(now: datetime) -> tuple:
    """The two selects of the overdue cases: an open task past its due time (``ix_tasks_open_due``, case id
    included), an active case whose timer is past. The statuses are literals (``OPEN_SQL``), so a generic plan
    proves the open-task indexes' predicate too."""
    return (select(tasks.c.case_id).where(OPEN_SQL, tasks.c.due_at < now),
            select(cases.c.id).where(cases.c.status == "active", cases.c.next_timer_at < now))


def narrow(conn: Connection, f: Filters) -> Filters:
    """The filters of a search, with the overdue cases at a step found first on PostgreSQL, in one statement:
    the case ids of the open tasks at the step (its name or element id: ranges of ``ix_tasks_open_name`` and
    ``ix_tasks_open_element``, migration 0022) INTERSECT the overdue ones, all read from indexes alone, then
    narrowed to the user's communities by key (``ix_cases_id_community``, index only). The count and the page
    then look up those ids (``case_ids``) instead of finding them twice.

    At 1M cases, as two ``IN`` subqueries of the count and of the page, PostgreSQL hashed the ~167 000 index
    entries of a caseworker's two communities against the ~14 000 overdue ids and then tested the step case by
    case, twice; as ``IN (… INTERSECT …)`` it estimated the intersection as large as its smaller side and did
    the same. The same cases either way (``tests/api/test_case_search.py``)."""
    if not (f.stage and f.overdue and conn.dialect.name == "postgresql"):
        return f
    at_stage = union_all(select(tasks.c.case_id).where(OPEN_SQL, tasks.c.name == f.stage),
                         select(tasks.c.case_id).where(OPEN_SQL, tasks.c.element_id == f.stage))
    ids = intersect(at_stage, union_all(*_late_cases(f.now)))
    if f.communities is not None:
        ids = select(cases.c.id).where(cases.c.id == any_(func.array(ids.scalar_subquery())),
                                       cases.c.community.in_(f.communities) if f.communities else false())
    case_ids = conn.execute(select(func.array(ids.scalar_subquery()))).scalar_one()
    return replace(f, stage=None, overdue=None, case_ids=case_ids)


def _conditions(f: Filters, pg: bool = False) -> list:
    conds = []
    if f.communities is not None:
        conds.append(cases.c.community.in_(f.communities) if f.communities else false())
    for name, value in f.equal.items():
        conds.append(cases.c[name] == value)
    if f.number is not None:
        year, seq = f.number
        conds.append(cases.c.number_seq == seq)
        if year is not None:
            conds.append(cases.c.number_year == year)
    if f.number_text:
        conds.append(or_(cases.c.case_number == f.number_text, _contains(cases.c.case_number, f.number_text)))
    if f.name:
        conds.append(_party_cases(_contains(case_parties.c.name, f.name) if len(f.name) >= SHORT_NAME
                                  else _starts(case_parties.c.name, f.name), pg))
    if f.phone_hashes:
        conds.append(_party_cases(case_parties.c.phone_hash.in_(f.phone_hashes), pg))
    if f.id_hashes:
        conds.append(_party_cases(case_parties.c.id_hash.in_(f.id_hashes), pg))
    if f.risk_levels:
        conds.append(cases.c.risk_level.in_(f.risk_levels))
    if f.group is not None:
        big = cases.c.people_count >= f.group_people
        conds.append(big if f.group else or_(cases.c.people_count.is_(None), ~big))
    if f.stage:  # from the open tasks (a small, indexed set), not a test of every case
        conds.append(cases.c.id.in_(select(tasks.c.case_id).where(
            tasks.c.status.in_(OPEN), or_(tasks.c.name == f.stage, tasks.c.element_id == f.stage))))
    if f.overdue is not None:
        late = cases.c.id.in_(union(*_late_cases(f.now)))
        conds.append(late if f.overdue else ~late)
    if f.case_ids is not None:  # one array parameter (PostgreSQL)
        conds.append(cases.c.id == any_(bindparam("case_ids", f.case_ids, type_=ARRAY(BigInteger))))
    for name, (start, before) in f.ranges.items():
        if start is not None:
            conds.append(cases.c[name] >= start)
        if before is not None:
            conds.append(cases.c[name] < before)
    return conds


def _open_tasks(column):
    return (select(func.min(column)).where(tasks.c.case_id == cases.c.id, tasks.c.status.in_(OPEN))
            .scalar_subquery())


def _applicant():
    """The first applicant's name (else the first party's)."""
    other = case((case_parties.c.role.in_(APPLICANT_ROLES), 0), else_=1)
    return (select(case_parties.c.name).where(case_parties.c.case_id == cases.c.id)
            .order_by(other, case_parties.c.id).limit(1).scalar_subquery())


_ROW = (cases.c.id, cases.c.case_number, cases.c.status, cases.c.process_key, cases.c.dispute_type, cases.c.channel,
        cases.c.community, cases.c.summary, cases.c.risk_level, cases.c.people_count, cases.c.leader,
        cases.c.received_on, cases.c.accepted_on, cases.c.closed_on, cases.c.created_at, cases.c.updated_at,
        cases.c.repeat_petitioner)


def _order(columns, descending: bool) -> list:
    return [c.desc() if descending else c.asc() for c in columns]


def search(conn: Connection, f: Filters, *, sort: str = "created_at", descending: bool = True, offset: int = 0,
           limit: int = 20, few: bool = False) -> list:
    """One page of matching cases with each one's applicant, stage (an open task's name) and earliest due time.

    The page's ids are found first (an index walk when the sort has one), then only those rows get their
    per-row subqueries; a deep page skips rows without computing anything for them.
    """
    keys = (*SORTS[sort], cases.c.id)
    # ``few``: the caller counted at most a few thousand matches; sorting them beats walking the sort's index
    # (which PostgreSQL would pick on its estimate, and which reads the whole table when matches are rare)
    walk = [func.coalesce(c, c) for c in keys] if few else keys
    ids = (select(cases.c.id).where(*_conditions(f, conn.dialect.name == "postgresql")).order_by(*_order(walk, descending))
           .offset(offset).limit(limit).subquery())
    q = (select(*_ROW, _applicant().label("applicant"), _open_tasks(tasks.c.name).label("stage"),
                _open_tasks(tasks.c.due_at).label("due_at"))
         .join_from(cases, ids, ids.c.id == cases.c.id).order_by(*_order(keys, descending)))
    return list(conn.execute(q))


def count(conn: Connection, f: Filters, cap: int) -> int:
    """How many cases match, counted up to ``cap`` + 1 (a bound, so a wide search stays fast)."""
    inner = select(cases.c.id).where(*_conditions(f, conn.dialect.name == "postgresql")).limit(cap + 1).subquery()
    return conn.execute(select(func.count()).select_from(inner)).scalar_one()
