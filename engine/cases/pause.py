"""A case's clocks: pause (鉴定, 听证, waiting for a party …), resume, extend a deadline (approval or consent).

A pause has a kind (``PAUSE_KINDS``), a reason, who paused it and, for an appraisal or a hearing, the
supervisor who approved it; it is a ``case_pauses`` row, closed on resume. Deadlines of rules that are not
pausable keep running. An extension is by approval (信访: within the rule's extension amount, approved by a
supervisor, leader or admin, the petitioner told why on ``party_told_on``) or by the parties' consent
(人民调解: the reason names the consent).

``case_clocks``, ``pause_clocks``, ``resume_clocks`` and ``approve_extension`` are for a user: within their
communities (outside them a case is "not found"); pausing and resuming for caseworkers and supervisors.
"""

from datetime import date, datetime

from sqlalchemy import Connection

from engine.cases import dates as case_dates
from engine.cases import step as steps
from engine.cases.access import check_visible
from engine.cases.readonly import check_not_filed
from engine.core.clock import now
from engine.core.errors import Conflict, Forbidden, InvalidData, NotFound
from engine.core.events import event
from engine.core.types import CASEWORKER_ROLES, Case, User
from engine.deadlines import rules as deadlines
from engine.deadlines.calendar import CALENDAR
from engine.spiff.runtime import Run
from engine.store import case_clocks as clock_store
from engine.store import cases as case_store
from engine.store import deadlines as store
from engine.store import events as event_store
from engine.store import tasks as task_store
from engine.store import users as user_store

PAUSE_ROLES = (*CASEWORKER_ROLES, "supervisor")
PAUSE_KINDS = {"appraisal": "鉴定", "hearing": "听证", "party": "等待当事人", "other": "其他"}
APPROVED_PAUSES = ("appraisal", "hearing")  # need a supervisor's approval
APPROVER_ROLES = ("supervisor", "leader", "admin")
EXTENSION_KINDS = ("approval", "consent")
CONSENT_WORDS = ("同意", "consent")


def extension_kinds(rule) -> list[str]:
    """How a deadline of ``rule`` may be extended: its statutory way, else either (an office decision)."""
    return [rule.extension_rule] if rule is not None and rule.extension_rule else list(EXTENSION_KINDS)


def extension_roles(kind: str) -> tuple[str, ...]:
    """Who may make an extension of ``kind``: approvers approve; a caseworker records the parties' consent."""
    return APPROVER_ROLES if kind != "consent" else (*PAUSE_ROLES, *APPROVER_ROLES)


def _invalid(message: str, field: str, reason: str, kind: str | None = None) -> InvalidData:
    err = InvalidData(message, {field: reason})
    if kind:
        err.kinds = {field: kind}
    return err


def _check_approver(conn: Connection, approver: str | None, field: str) -> str:
    if not isinstance(approver, str) or not approver.strip():
        raise _invalid("须由主管批准（填写批准人）", field, "required", "required")
    user = user_store.by_username(conn, approver.strip())
    if user is None or user.role not in APPROVER_ROLES:
        raise _invalid("批准人须为主管、领导或管理员", field, "must be a supervisor, leader or admin", "not_approver")
    return user.username


def pause_case(conn: Connection, case_id: int, actor: str | None, reason: str, kind: str = "other",
               approved_by: str | None = None) -> int:
    """Stop the case's clocks (鉴定, 听证, waiting for the respondent …); returns the deadlines paused."""
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidData("a reason is required to pause a case", {"reason": "required"})
    if kind not in PAUSE_KINDS:
        raise _invalid(f"kind must be one of {', '.join(PAUSE_KINDS)}", "kind", "unknown", "enum")
    if kind in APPROVED_PAUSES:
        approved_by = _check_approver(conn, approved_by, "approved_by")
    check_not_filed(conn, case_id)
    row, _ = steps.load(conn, case_id)
    if row.paused_at is not None:
        raise Conflict(f"case {row.case_number} is already paused")
    at = now()
    case_store.set_paused(conn, row.id, at)
    running = [r.key for rules in deadlines.RULES.get(conn).values() for r in rules if not r.pausable]
    paused = store.pause_case(conn, row.id, at, running)
    clock_store.insert_pause(conn, {"case_id": row.id, "kind": kind, "reason": reason.strip(), "started_at": at,
                                    "started_by": actor, "approved_by": approved_by})
    event_store.append(
        conn, [event(row.id, at, actor, "case_paused", reason=reason.strip(), deadlines=paused, pause_kind=kind,
                     pause_kind_label=PAUSE_KINDS[kind], approved_by=approved_by)]
    )
    return paused


def resume(conn: Connection, row, run: Run, actor: str | None, at: datetime) -> list[dict]:
    """Give the paused time back to every clock of a loaded, paused case; returns its event."""
    delta = at - row.paused_at
    run.shift_timers(delta)
    seconds = int(delta.total_seconds())
    store.resume_case(conn, row.id, seconds, at)
    task_store.set_due(
        conn, [(t.id, t.due_at + delta) for t in task_store.open_for_case(conn, row.id) if t.due_at]
    )
    case_store.set_paused(conn, row.id, None)
    case_dates.refresh_task_dues(conn, row.id, run)  # a clock that kept running (not pausable) did not move
    pause = clock_store.end_pause(conn, row.id, actor, at)
    kind = pause.kind if pause is not None else "other"
    return [event(row.id, at, actor, "case_resumed", paused_seconds=seconds, pause_kind=kind,
                  pause_kind_label=PAUSE_KINDS.get(kind, kind))]


def resume_case(conn: Connection, case_id: int, actor: str | None) -> Case:
    check_not_filed(conn, case_id)
    row, run = steps.load(conn, case_id)
    if row.paused_at is None:
        raise Conflict(f"case {row.case_number} is not paused")
    at = now()
    before = {t.id: t for t in run.ready_user_tasks()}
    events = resume(conn, row, run, actor, at)
    return steps.write(conn, row, run, before, actor, at, events, timers_moved=True)


def _check_extension(conn: Connection, row, amount: int, clock: str, reason: str, kind: str,
                     party_told_on) -> tuple[str, date | None]:
    """The statutory rule's limits on an extension of ``row``: its kind, its clock, its most, the party told."""
    rule = deadlines.rule_by_key(conn, row.rule_key)
    if kind not in EXTENSION_KINDS:
        raise _invalid("kind must be approval or consent", "kind", "unknown", "enum")
    if kind not in extension_kinds(rule):
        word = "经批准" if rule.extension_rule == "approval" else "经当事人同意"
        raise _invalid(f"该期限只能{word}延长", "kind", f"must be {rule.extension_rule}", "extension_kind")
    if rule is not None and rule.extension_clock and clock != rule.extension_clock:
        raise _invalid(f"延长期限的计算方式应为 {rule.extension_clock}", "clock", f"must be {rule.extension_clock}",
                       "extension_clock")
    if rule is not None and rule.extension_amount is not None:
        used = sum(e.amount for e in store.extensions(conn, row.id))
        if used + amount > rule.extension_amount:
            left = rule.extension_amount - used
            raise _invalid(f"超出法定可延长期限（最多 {rule.extension_amount}，尚可延长 {left}）", "amount",
                           f"at most {left} more", "extension_too_long")
    if kind == "consent" and not any(w in reason.lower() for w in CONSENT_WORDS):
        raise _invalid("经当事人同意延长的，理由须写明当事人同意", "reason", "must name the parties' consent",
                       "consent_missing")
    told = None
    if kind == "approval" and rule is not None and rule.extension_rule == "approval":
        if party_told_on in (None, ""):
            raise _invalid("须填写告知信访人延期理由的日期", "party_told_on", "required", "required")
        try:
            told = case_dates.check({"received_on": party_told_on})["received_on"]
        except InvalidData as err:
            raise _invalid("告知日期不正确", "party_told_on", next(iter(err.errors.values())),
                           next(iter(getattr(err, "kinds", {}).values()), None)) from None
    return kind, told


def extend_deadline(
    conn: Connection, deadline_id: int, amount: int, clock: str, reason: str, approved_by: str,
    kind: str = "approval", requested_by: str | None = None, party_told_on=None,
) -> dict:
    """Extend a deadline (延期) by ``amount`` in ``clock`` units, recording who approved (or, by consent,
    recorded) it, why, and when the party was told."""
    if clock not in deadlines.CLOCKS:
        raise InvalidData(f"clock must be one of {', '.join(deadlines.CLOCKS)}", {"clock": "unknown"})
    if not isinstance(amount, int) or isinstance(amount, bool) or not 1 <= amount <= 366:
        raise InvalidData("amount must be a whole number from 1 to 366", {"amount": "out of range"})
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidData("a reason is required for an extension", {"reason": "required"})
    row = store.get(conn, deadline_id)
    if row is None:
        raise NotFound(f"deadline {deadline_id} not found")
    check_not_filed(conn, row.case_id)
    if row.closed_at is not None or row.status in ("met", "cancelled") or row.kind == "timer":
        raise Conflict(f"deadline {deadline_id} cannot be extended ({row.kind}, {row.status})")
    kind, told = _check_extension(conn, row, amount, clock, reason.strip(), kind, party_told_on)
    at = now()
    CALENDAR.get(conn)
    new_due = deadlines.due_time(row.due_at, amount, clock)
    confirmed = row.calendar_confirmed and deadlines.calendar_confirmed(row.due_at, new_due, clock)
    new_warn = new_due - (row.due_at - row.warn_at) if row.warn_at is not None else None
    store.extend(
        conn,
        row,
        new_due,
        new_warn,
        amount=amount,
        clock=clock,
        reason=reason.strip(),
        approved_by=approved_by,
        at=at,
        calendar_confirmed=confirmed,
        kind=kind,
        requested_by=requested_by or approved_by,
        party_told_on=told,
    )
    if row.task_id:  # the task's due time follows the deadline that set it
        task_store.move_due(conn, row.task_id, row.due_at, new_due)
    elif row.scope == "case":  # every task of the process serves the case clock
        case_row = case_store.lock(conn, row.case_id)
        if case_row is not None and case_row.status == "active":
            case_dates.refresh_task_dues(conn, row.case_id, steps.load_run(conn, case_row))
    event_store.append(
        conn,
        [
            event(
                row.case_id,
                at,
                approved_by,
                "deadline_extended",
                deadline=row.id,
                name=row.name,
                amount=amount,
                clock=clock,
                reason=reason.strip(),
                old_due=row.due_at.isoformat(),
                new_due=new_due.isoformat(),
                extension_kind=kind,
                requested_by=requested_by or approved_by,
                party_told_on=told.isoformat() if told else None,
            )
        ],
    )
    return {"id": row.id, "old_due_at": row.due_at, "new_due_at": new_due}


def _check_may_pause(user: User) -> None:
    if user.role not in PAUSE_ROLES:
        raise Forbidden(f"role '{user.role}' may not pause or resume a case")


def pause_clocks(conn: Connection, user: User, case_id: int, reason: str, kind: str = "other",
                 approved_by: str | None = None) -> dict:
    """``pause_case`` by ``user`` (a supervisor approves their own appraisal or hearing pause):
    {"case_id", "paused_deadlines"}."""
    _check_may_pause(user)
    check_visible(conn, user, case_id)
    if kind in APPROVED_PAUSES and not approved_by and user.role in APPROVER_ROLES:
        approved_by = user.username
    return {"case_id": case_id,
            "paused_deadlines": pause_case(conn, case_id, user.username, reason, kind, approved_by)}


def resume_clocks(conn: Connection, user: User, case_id: int) -> dict:
    """``resume_case`` by ``user``: {"case_id", "resumed"}."""
    _check_may_pause(user)
    check_visible(conn, user, case_id)
    resume_case(conn, case_id, user.username)
    return {"case_id": case_id, "resumed": True}


def approve_extension(
    conn: Connection, user: User, deadline_id: int, amount: int, clock: str, reason: str,
    kind: str = "approval", party_told_on=None, requested_by: str | None = None,
) -> dict:
    """``extend_deadline`` for a deadline of a case ``user`` sees: approved by ``user`` (a supervisor, leader or
    admin), or recorded by them (a caseworker too) when the parties consented."""
    if user.role not in extension_roles(kind):
        raise Forbidden(f"role '{user.role}' may not approve an extension")
    row = store.get(conn, deadline_id)
    if row is None:
        raise NotFound(f"deadline {deadline_id} not found")
    check_visible(conn, user, row.case_id)
    return extend_deadline(conn, deadline_id, amount, clock, reason, approved_by=user.username, kind=kind,
                           requested_by=requested_by or user.username, party_told_on=party_told_on)


def case_clocks(conn: Connection, user: User, case_id: int) -> list:
    """The case's deadline rows (its timer included), by due time."""
    check_visible(conn, user, case_id)
    return store.for_case(conn, case_id)
