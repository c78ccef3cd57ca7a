"""What a queue row and a leader's 包案 list show of a case: applicant, summary, risk, people, leader, stage.

A queue page (``task_queries``) is one statement: its branches (index range scans, limited) select these case
columns too, and each case's first applicant party (``case_parties``, by its case_id index) as a correlated
lookup in the projection: run for the page's rows only, no query per row, no sort.
Only the masked phone (``phone_masked``) is read: full values never reach a list.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, bindparam, exists, func, literal_column, select

from engine.core.types import TaskView
from engine.store.tables import case_parties, cases, deadlines, tasks
from engine.store.tasks import OPEN_SQL

APPLICANT_ROLES = ("applicant", "申请人")
SUMMARY_CHARS = 120
SUMMARY_READ = 4 * SUMMARY_CHARS  # read this much of the summary: enough for its first line of 120 once spaced
LED_CASES_MAX = 500
CLOSED_DEADLINE = ("met", "cancelled")


@dataclass
class QueueTask(TaskView):
    """A queue row: the task and what the row shows of its case."""

    summary: str | None = None
    risk_level: str | None = None
    people_count: int | None = None
    leader: str | None = None
    applicant_name: str | None = None
    applicant_phone: str | None = None  # masked


_ROLES = [literal_column(f"'{r}'") for r in APPLICANT_ROLES]  # literals: the plans see them
_SEP = "|"  # between the applicant's name and masked phone (a masked phone has no "|")


def _applicant():
    """The case's first applicant (the lowest id among its parties in an applicant role) as "name|phone", one
    correlated lookup of the case_parties.case_id index per row the statement returns (no sort, no join)."""
    p, earlier = case_parties.alias("p"), case_parties.alias("earlier")
    return (select(p.c.name + literal_column(f"'{_SEP}'") + func.coalesce(p.c.phone_masked, literal_column("''")))
            .where(p.c.case_id == cases.c.id, p.c.role.in_(_ROLES),
                   ~exists().where(earlier.c.case_id == p.c.case_id, earlier.c.role.in_(_ROLES),
                                   earlier.c.id < p.c.id))
            .correlate(cases).scalar_subquery())


# The case columns of a queue row: the page's branches select them (the projection of a page's rows only).
CASE_COLUMNS = (func.substr(cases.c.summary, literal_column("1"), literal_column(str(SUMMARY_READ))).label("case_summary"),
                cases.c.risk_level, cases.c.people_count, cases.c.leader, _applicant().label("applicant"))


def _split(applicant: str | None) -> tuple[str | None, str | None]:
    if applicant is None:
        return None, None
    name, _, phone = applicant.rpartition(_SEP)
    return name, phone or None


def _summary(text: str | None) -> str | None:
    if text is None:
        return None
    line = " ".join(text.split())
    cut = len(line) > SUMMARY_CHARS or len(text) >= SUMMARY_READ
    return line[:SUMMARY_CHARS] + "…" if cut else line


def queue_task(r) -> QueueTask:
    return QueueTask(id=r.id, case_id=r.case_id, element_id=r.element_id, name=r.name, group=r.candidate_group,
                     assignee=r.assignee, owner=r.owner, status=r.status, form_key=r.form_key,
                     created_at=r.created_at, due_at=r.due_at, completed_by=r.completed_by,
                     process_key=r.process_key, case_number=r.case_number, community=r.community,
                     dispute_type=r.dispute_type, summary=_summary(r.case_summary), risk_level=r.risk_level,
                     people_count=r.people_count, leader=r.leader, applicant_name=_split(r.applicant)[0],
                     applicant_phone=_split(r.applicant)[1])


# -- 我的包案: the active cases a leader is in charge of, their open tasks and clocks (three statements) --------
_LED = (select(cases.c.id, cases.c.case_number, cases.c.status, cases.c.community, cases.c.dispute_type,
               cases.c.created_at, cases.c.paused_at, *CASE_COLUMNS)
        .where(cases.c.leader == bindparam("leader"), cases.c.status == literal_column("'active'"))
        .order_by(cases.c.created_at.desc(), cases.c.id.desc()).limit(LED_CASES_MAX))
_LED_TASKS = (select(tasks.c.id, tasks.c.case_id, tasks.c.name, tasks.c.candidate_group, tasks.c.assignee,
                     tasks.c.status, tasks.c.due_at)
              .where(tasks.c.case_id.in_(bindparam("ids", expanding=True)), OPEN_SQL)
              .order_by(tasks.c.case_id, tasks.c.created_at, tasks.c.id))
_LED_CLOCKS = (select(deadlines.c.id, deadlines.c.case_id, deadlines.c.task_id, deadlines.c.kind, deadlines.c.name,
                      deadlines.c.clock, deadlines.c.status, deadlines.c.due_at, deadlines.c.escalation_level,
                      deadlines.c.paused_at)
               .where(deadlines.c.case_id.in_(bindparam("ids", expanding=True)),
                      deadlines.c.kind != literal_column("'timer'"), deadlines.c.closed_at.is_(None),
                      deadlines.c.status.not_in(CLOSED_DEADLINE))
               .order_by(deadlines.c.case_id, deadlines.c.due_at, deadlines.c.id))


@dataclass
class LedCase:
    id: int
    case_number: str
    community: str | None
    dispute_type: str | None
    created_at: datetime
    paused: bool
    summary: str | None
    risk_level: str | None
    people_count: int | None
    applicant_name: str | None
    applicant_phone: str | None
    tasks: list
    clocks: list


def led_cases(conn: Connection, leader: str) -> list[LedCase]:
    """The active cases whose 包案 leader is ``leader``, newest first, with their open tasks and open clocks."""
    rows = list(conn.execute(_LED, {"leader": leader}))
    if not rows:
        return []
    ids = [r.id for r in rows]
    open_tasks: dict[int, list] = {}
    for t in conn.execute(_LED_TASKS, {"ids": ids}):
        open_tasks.setdefault(t.case_id, []).append(t)
    clocks: dict[int, list] = {}
    for d in conn.execute(_LED_CLOCKS, {"ids": ids}):
        clocks.setdefault(d.case_id, []).append(d)
    return [LedCase(id=r.id, case_number=r.case_number, community=r.community, dispute_type=r.dispute_type,
                    created_at=r.created_at, paused=r.paused_at is not None, summary=_summary(r.case_summary),
                    risk_level=r.risk_level, people_count=r.people_count, applicant_name=_split(r.applicant)[0],
                    applicant_phone=_split(r.applicant)[1], tasks=open_tasks.get(r.id, []), clocks=clocks.get(r.id, []))
            for r in rows]
