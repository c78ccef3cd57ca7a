"""Statutory clocks from the dates the law names (issue 13, "Clocks"): back-dated intake, case clocks over a
process, pauses with a kind, extensions by approval or consent, and a case date changed after intake.

Every due time is asserted to the minute in Asia/Shanghai.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from engine.cases import dates as case_dates
from engine.cases import pause as clocks
from engine.cases import read, service
from engine.core.errors import Forbidden, InvalidData
from engine.core.types import User
from engine.deadlines import seed as sla_seed
from engine.deadlines.clocks import overdue_by
from engine.store import deadlines as store
from engine.store.tables import case_dates as case_dates_table
from engine.store.tables import case_pauses, cases, deadline_extensions
from tests.helpers.process_driver import (
    ACCEPT,
    LABOUR_ACCEPT,
    agreement,
    extension,
    handle,
    intake,
    opinion,
    register,
    review_request,
    session,
    sign,
    signed_paper,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
SUPERVISOR = User(id=0, username="super1", role="supervisor", communities=[], display_name=None)
MEDIATOR = User(id=0, username="mediator1", role="mediator", communities=["福田社区"], display_name=None)
LEADER = User(id=0, username="leader1", role="leader", communities=[], display_name=None)


def local(t: datetime) -> str:
    return t.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def at(day: str, hour: int = 10) -> datetime:
    """``hour`` o'clock in Shanghai on ``day``."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI).astimezone(UTC)


def start(db, key, data):
    with db.begin() as conn:
        return service.start_case(conn, key, data={"community": "福田社区", **data}, actor="window1")


def complete(db, case_id, element, data, actor="test"):
    task = task_of(db, case_id, element)
    if kind := signed_paper(task, data):  # the written agreement is made and signed first
        sign(db, case_id, task, data, kind)
    with db.begin() as conn:
        return service.complete_task(conn, task.id, data, actor)


def task_of(db, case_id, element):
    with db.begin() as conn:
        tasks = [t for t in service.list_tasks(conn, case_id=case_id) if t.element_id == element]
    assert tasks, f"{element} is not open"
    return tasks[0]


def clock_rows(db, case_id, rule_key):
    with db.begin() as conn:
        return [r for r in store.for_case(conn, case_id) if r.rule_key == rule_key]


def kinds(db, case_id):
    with db.begin() as conn:
        return [e.kind for e in service.case_events(conn, case_id)]


def test_a_back_dated_petition_is_overdue_at_registration(shipped):
    db = shipped
    with time_machine.travel(at("2026-11-20"), tick=False):  # read on 20 November, received on 1 November
        case = start(db, "petition_handling", {"received_on": "2026-11-01"})
        (row,) = clock_rows(db, case.id, "petition_register_15d")
        assert local(row.starts_at) == "2026-11-01 00:00" and row.starts_from == "received_on"
        assert local(row.due_at) == "2026-11-16 23:59"  # 15 days from the day received, not from today
        assert (row.amount, row.scope) == (15, "task")
        task = task_of(db, case.id, "petition_register")
        assert local(task.due_at) == "2026-11-16 23:59"
        assert read.task_item(task)["overdue_by"] == {"days": 4}
        assert overdue_by(row.due_at, row.clock, datetime.now(UTC)) == {"days": 4}
        with db.begin() as conn:
            assert conn.execute(select(cases.c.received_on).where(cases.c.id == case.id)).scalar().isoformat() \
                == "2026-11-01"


def test_received_on_defaults_to_today_and_intake_form_sets_it(shipped):
    db = shipped
    with time_machine.travel(at("2026-11-20"), tick=False):
        case = start(db, "dispute_case", {})
        with db.begin() as conn:
            assert case_dates.store.for_case(conn, case.id)["received_on"].isoformat() == "2026-11-20"
        complete(db, case.id, "intake", intake(received_on="2026-11-18"))
        with db.begin() as conn:
            assert case_dates.store.for_case(conn, case.id)["received_on"].isoformat() == "2026-11-18"
            assert conn.execute(select(cases.c.received_on).where(cases.c.id == case.id)).scalar().isoformat() \
                == "2026-11-18"


@pytest.mark.parametrize("value, kind, form_kind", [("2026-11-21", "date_in_future", "date_in_future"),
                                                    ("2021-11-19", "date_too_old", "date_too_old"),
                                                    ("11/01/2026", "date_parsing", "format")])
def test_a_future_or_absurd_received_date_is_refused(shipped, value, kind, form_kind):
    db = shipped
    with time_machine.travel(at("2026-11-20"), tick=False):
        with pytest.raises(InvalidData) as err:
            start(db, "petition_handling", {"received_on": value})
        assert err.value.kinds == {"received_on": kind} and "received_on" in err.value.errors
        case = start(db, "dispute_case", {})
        with pytest.raises(InvalidData) as err:
            complete(db, case.id, "intake", intake(received_on=value))
        assert err.value.kinds == {"received_on": form_kind}  # a malformed date: the form's own check
        start(db, "petition_handling", {"received_on": "2021-11-20"})  # five years ago to the day: accepted


def test_the_60_day_petition_clock_from_acceptance_across_its_tasks_pause_and_extension(shipped):
    db = shipped
    with time_machine.travel(at("2026-06-01"), tick=False) as traveller:
        case = start(db, "petition_handling", {"received_on": "2026-06-01"})
        complete(db, case.id, "petition_register", register(on="2026-06-01"))
        (clock,) = clock_rows(db, case.id, "petition_conclude_60d")
        # accepted the day it was received, 1 June: + 60 days = Friday 31 July
        assert (clock.scope, clock.task_id, clock.process_key) == ("case", None, "petition_handling")
        assert local(clock.due_at) == "2026-07-31 23:59"
        # the acceptance was on 29 May: the clock counts from then, with a timeline entry
        with db.begin() as conn:
            out = case_dates.change_dates(conn, SUPERVISOR, case.id, {"accepted_on": "2026-05-29"})
        assert out["recomputed"] == 1 and out["dates"]["accepted_on"] == "2026-05-29"
        (clock,) = clock_rows(db, case.id, "petition_conclude_60d")
        assert local(clock.starts_at) == "2026-05-29 00:00" and local(clock.due_at) == "2026-07-28 23:59"
        assert local(task_of(db, case.id, "petition_handle").due_at) == "2026-07-28 23:59"
        assert kinds(db, case.id)[-2:] == ["case_date_changed", "deadline_recomputed"]

        complete(db, case.id, "petition_handle", handle("request_extension"))
        # the same clock, still open, is what the approval task shows
        (clock,) = clock_rows(db, case.id, "petition_conclude_60d")
        assert clock.closed_at is None
        assert local(task_of(db, case.id, "petition_extension_approve").due_at) == "2026-07-28 23:59"

        # a hearing of 10 days, approved by a supervisor, stops the clock
        with db.begin() as conn, pytest.raises(InvalidData) as err:
            clocks.pause_case(conn, case.id, "mediator1", "召开听证会", "hearing")
        assert "approved_by" in err.value.errors
        with db.begin() as conn, pytest.raises(InvalidData):
            clocks.pause_case(conn, case.id, "mediator1", "召开听证会", "hearing", approved_by="mediator1")
        with db.begin() as conn:
            clocks.pause_case(conn, case.id, "mediator1", "召开听证会", "hearing", approved_by="super1")
        traveller.shift(timedelta(days=10))
        with db.begin() as conn:
            clocks.resume_case(conn, case.id, "mediator1")
        (clock,) = clock_rows(db, case.id, "petition_conclude_60d")
        assert local(clock.due_at) == "2026-08-07 23:59" and clock.paused_seconds == 10 * 86400
        assert local(task_of(db, case.id, "petition_extension_approve").due_at) == "2026-08-07 23:59"
        with db.begin() as conn:
            (pause,) = conn.execute(select(case_pauses).where(case_pauses.c.case_id == case.id)).all()
        assert (pause.kind, pause.approved_by, pause.started_by, pause.ended_by) == \
            ("hearing", "super1", "mediator1", "mediator1")

        # the extension: +30 at most, approved by a supervisor, the petitioner told why
        reason = "涉及多个部门，经批准延长"
        for amount, kind, told, user, field in [(31, "approval", "2026-06-10", SUPERVISOR, "amount"),
                                                (30, "approval", None, SUPERVISOR, "party_told_on"),
                                                (30, "consent", "2026-06-10", SUPERVISOR, "kind"),
                                                (30, "approval", "2026-06-12", SUPERVISOR, "party_told_on")]:
            with db.begin() as conn, pytest.raises(InvalidData) as err:
                clocks.extend_deadline(conn, clock.id, amount, "natural", reason, user.username, kind,
                                       party_told_on=told)
            assert field in err.value.errors, (amount, kind, told)
        with db.begin() as conn, pytest.raises(Forbidden):
            clocks.approve_extension(conn, MEDIATOR, clock.id, 30, "natural", reason, "approval", "2026-06-10")
        with db.begin() as conn:
            clocks.extend_deadline(conn, clock.id, 30, "natural", reason, "super1", "approval",
                                   requested_by="mediator1", party_told_on="2026-06-10")
        (clock,) = clock_rows(db, case.id, "petition_conclude_60d")
        assert local(clock.due_at) == "2026-09-07 23:59"  # 6 September is a Sunday: the next working day
        assert local(task_of(db, case.id, "petition_extension_approve").due_at) == "2026-09-07 23:59"
        with db.begin() as conn:
            ext = conn.execute(select(deadline_extensions)).one()
            last = service.case_events(conn, case.id)[-1]
        assert (ext.kind, ext.requested_by, ext.approved_by, ext.party_told_on.isoformat()) == \
            ("approval", "mediator1", "super1", "2026-06-10")
        assert last.kind == "deadline_extended" and last.data["party_told_on"] == "2026-06-10"
        with db.begin() as conn, pytest.raises(InvalidData) as err:  # the 30 days are used up
            clocks.extend_deadline(conn, clock.id, 1, "natural", reason, "super1", party_told_on="2026-06-10")
        assert "amount" in err.value.errors

        complete(db, case.id, "petition_extension_approve", extension(True))
        # the clock stays open over the handling again (the task shows the model's own timer if that is earlier)
        (clock,) = clock_rows(db, case.id, "petition_conclude_60d")
        assert clock.closed_at is None and local(clock.due_at) == "2026-09-07 23:59"
        assert task_of(db, case.id, "petition_handle").due_at <= clock.due_at
        complete(db, case.id, "petition_handle", handle())
        # handled: the 60 days still run until the 处理意见书 is issued
        (clock,) = clock_rows(db, case.id, "petition_conclude_60d")
        assert clock.closed_at is None
        assert local(task_of(db, case.id, "petition_opinion").due_at) == "2026-09-07 23:59"
        traveller.shift(timedelta(days=2))  # Saturday 13 June, 10:00: the opinion served and received
        case = complete(db, case.id, "petition_opinion", opinion(served="2026-06-13", received="2026-06-13"))
        # the office's 60 days are met the minute the opinion is recorded; the 复查 window that follows is the
        # petitioner's 30 days from receipt (13 June + 30 = Monday 13 July), not the 60-day clock
        (clock,) = clock_rows(db, case.id, "petition_conclude_60d")
        assert clock.status == "met" and local(clock.closed_at) == "2026-06-13 10:00"
        assert case.status == "active" and [t.element_id for t in case.open_tasks] == ["petition_review_request"]
        assert local(case.next_timer_at) == "2026-07-13 23:59"
        with db.begin() as conn:
            tasks = service.list_tasks(conn, case_id=case.id)
        assert [t.due_at for t in tasks] == [case.next_timer_at]
        # the clock stays closed: completing more of the process opens no second 60-day clock
        complete(db, case.id, "petition_review_request", review_request("2026-06-13"))
        assert [c.status for c in clock_rows(db, case.id, "petition_conclude_60d")] == ["met"]


def test_peoples_mediation_term_30_days_from_acceptance_extended_by_consent(shipped):
    db = shipped
    with time_machine.travel(at("2026-06-03"), tick=False):
        case = start(db, "people_mediation", {"accepted_on": "2026-06-01"})
        # the acceptance task has its own 3 working days; the term runs in the mediation that follows
        assert local(task_of(db, case.id, "mediation_accept").due_at) == "2026-06-08 23:59"
        assert clock_rows(db, case.id, "people_mediation_term_30d") == []
        complete(db, case.id, "mediation_accept", dict(ACCEPT, accepted_on="2026-06-01"))
        (clock,) = clock_rows(db, case.id, "people_mediation_term_30d")
        assert (clock.scope, clock.task_id, clock.process_key) == ("case", None, "mediation_term")
        assert (local(clock.starts_at), local(clock.due_at)) == ("2026-06-01 00:00", "2026-07-01 23:59")
        assert local(task_of(db, case.id, "mediation_session").due_at) == "2026-07-01 23:59"
        complete(db, case.id, "mediation_session", session("next_session"))
        assert local(task_of(db, case.id, "mediation_session").due_at) == "2026-07-01 23:59"
        assert len(clock_rows(db, case.id, "people_mediation_term_30d")) == 1  # one clock, not one per task

        with db.begin() as conn, pytest.raises(InvalidData) as err:  # by consent only, and naming it
            clocks.approve_extension(conn, MEDIATOR, clock.id, 15, "natural", "案情复杂", "consent")
        assert "reason" in err.value.errors
        with db.begin() as conn, pytest.raises(Forbidden):
            clocks.approve_extension(conn, MEDIATOR, clock.id, 15, "natural", "双方同意", "approval")
        with db.begin() as conn, pytest.raises(InvalidData) as err:
            clocks.approve_extension(conn, SUPERVISOR, clock.id, 15, "natural", "双方同意", "approval")
        assert "kind" in err.value.errors
        with db.begin() as conn:
            clocks.approve_extension(conn, MEDIATOR, clock.id, 15, "natural", "双方当事人同意延长调解期限",
                                     "consent")
        assert local(clock_rows(db, case.id, "people_mediation_term_30d")[0].due_at) == "2026-07-16 23:59"
        # (the session shows the model's own 30-day term timer while that is earlier; that timer is the model's)
        assert task_of(db, case.id, "mediation_session").due_at <= clock_rows(db, case.id,
                                                                            "people_mediation_term_30d")[0].due_at
        with db.begin() as conn:
            ext = conn.execute(select(deadline_extensions)).one()
        assert (ext.kind, ext.approved_by, ext.party_told_on) == ("consent", "mediator1", None)


def test_labour_mediation_15_days_from_the_application(shipped):
    db = shipped
    with time_machine.travel(at("2026-06-02"), tick=False):
        case = start(db, "labour_mediation", {"applied_on": "2026-06-01"})
        # the acceptance is outside the mediation subprocess (labour_term): the 15 days run over the sessions
        assert clock_rows(db, case.id, "labour_mediation_15d") == []
        complete(db, case.id, "labour_accept", dict(LABOUR_ACCEPT, applied_on="2026-06-01", knew_on="2026-05-20"))
        (clock,) = clock_rows(db, case.id, "labour_mediation_15d")
        # counted from the application (1 June), not from the session's creation: 16 June is a Tuesday
        assert (clock.scope, clock.process_key, local(clock.starts_at), local(clock.due_at)) == \
            ("case", "labour_term", "2026-06-01 00:00", "2026-06-16 23:59")
        assert local(task_of(db, case.id, "labour_session").due_at) == "2026-06-16 23:59"


def test_judicial_confirmation_30_days_from_the_agreement_taking_effect(shipped):
    db = shipped
    with time_machine.travel(at("2026-06-08"), tick=False):
        case = start(db, "people_mediation", {"accepted_on": "2026-06-03"})
        complete(db, case.id, "mediation_accept", dict(ACCEPT, accepted_on="2026-06-03"))
        complete(db, case.id, "mediation_session", session("agreement_reached"))
        complete(db, case.id, "mediation_agreement", dict(agreement(jc=True), agreement_effective_on="2026-06-08"))
        task_of(db, case.id, "jc_apply")
        # the mediation has ended: its term clock is closed, met
        (term,) = clock_rows(db, case.id, "people_mediation_term_30d")
        assert term.status == "met" and term.closed_at is not None
        with db.begin() as conn:
            case_dates.change_dates(conn, MEDIATOR, case.id, {"agreement_effective_on": "2026-06-05"})
        (row,) = clock_rows(db, case.id, "jc_apply_30d")
        assert local(row.starts_at) == "2026-06-05 00:00"
        assert local(row.due_at) == "2026-07-06 23:59"  # 5 July is a Sunday
        assert local(task_of(db, case.id, "jc_apply").due_at) == "2026-07-06 23:59"


def test_a_date_set_before_the_task_starts_its_clock_there(shipped):
    db = shipped
    with time_machine.travel(at("2026-06-05"), tick=False):
        case = start(db, "people_mediation", {"accepted_on": "2026-06-03", "agreement_effective_on": "2026-06-04"})
        complete(db, case.id, "mediation_accept", dict(ACCEPT, accepted_on="2026-06-03"))
        complete(db, case.id, "mediation_session", session("agreement_reached"))
        complete(db, case.id, "mediation_agreement", dict(agreement(jc=True), agreement_effective_on="2026-06-04"))
        (row,) = clock_rows(db, case.id, "jc_apply_30d")
        assert local(row.due_at) == "2026-07-06 23:59"  # 4 June + 30 = 4 July, a Saturday


def test_changing_received_on_after_intake_recomputes_with_a_timeline_entry(shipped):
    db = shipped
    with time_machine.travel(at("2026-11-20"), tick=False):
        case = start(db, "petition_handling", {"received_on": "2026-11-10"})
        assert local(clock_rows(db, case.id, "petition_register_15d")[0].due_at) == "2026-11-25 23:59"
        with db.begin() as conn:
            out = case_dates.change_dates(conn, SUPERVISOR, case.id, {"received_on": "2026-11-01"})
        assert out["recomputed"] == 1
        (row,) = clock_rows(db, case.id, "petition_register_15d")
        assert local(row.due_at) == "2026-11-16 23:59"
        assert local(task_of(db, case.id, "petition_register").due_at) == "2026-11-16 23:59"
        with db.begin() as conn:
            events = service.case_events(conn, case.id)
            day = conn.execute(select(case_dates_table.c.day, case_dates_table.c.set_by)
                               .where(case_dates_table.c.case_id == case.id)).one()
        changed, recomputed = events[-2:]
        assert (changed.kind, changed.data["name"], changed.data["old"], changed.data["new"]) == \
            ("case_date_changed", "received_on", "2026-11-10", "2026-11-01")
        assert recomputed.kind == "deadline_recomputed" and recomputed.data["new_due"] == row.due_at.isoformat()
        assert (day.day.isoformat(), day.set_by) == ("2026-11-01", "super1")
        for values, field, kind in [({"received_on": "2026-11-21"}, "received_on", "date_in_future"),
                                    ({"received_on": "2019-01-01"}, "received_on", "date_too_old"),
                                    ({"opened_on": "2026-11-01"}, "opened_on", "unknown_date")]:
            with db.begin() as conn, pytest.raises(InvalidData) as err:
                case_dates.change_dates(conn, SUPERVISOR, case.id, values)
            assert err.value.kinds == {field: kind}
        with db.begin() as conn, pytest.raises(Forbidden):
            case_dates.change_dates(conn, LEADER, case.id, {"received_on": "2026-11-02"})


def test_a_rule_that_is_not_pausable_keeps_running(shipped):
    db = shipped
    with time_machine.travel(at("2026-06-05"), tick=False) as traveller:
        case = start(db, "people_mediation", {"accepted_on": "2026-06-03", "agreement_effective_on": "2026-06-04"})
        complete(db, case.id, "mediation_accept", dict(ACCEPT, accepted_on="2026-06-03"))
        complete(db, case.id, "mediation_session", session("agreement_reached"))
        complete(db, case.id, "mediation_agreement", dict(agreement(jc=True), agreement_effective_on="2026-06-04"))
        with db.begin() as conn:
            clocks.pause_case(conn, case.id, "mediator1", "等待当事人补交材料", "party")
        traveller.shift(timedelta(days=5))
        with db.begin() as conn:
            clocks.resume_case(conn, case.id, "mediator1")
        (row,) = clock_rows(db, case.id, "jc_apply_30d")
        assert local(row.due_at) == "2026-07-06 23:59" and row.paused_seconds == 0  # 司法确认: the law's 30 days
        assert local(task_of(db, case.id, "jc_apply").due_at) == "2026-07-06 23:59"
        assert kinds(db, case.id)[-2:] == ["case_paused", "case_resumed"]


def test_seeding_brings_untouched_statutory_rules_up_to_date_and_keeps_changed_ones(db):
    from engine.store.tables import sla_rules

    with db.begin() as conn:
        sla_seed.seed(conn)
        # as an older seed left them: counted from the task, no scope or extension
        for key, by in [("petition_conclude_60d", "seed"), ("petition_register_15d", "super1")]:
            store.update_rule(conn, key, {"starts_from": "task", "scope": "task", "extension_amount": None,
                                          "updated_by": by})
        assert sla_seed.seed(conn) == 0
        got = {r.key: r for r in conn.execute(select(sla_rules))}
    assert (got["petition_conclude_60d"].starts_from, got["petition_conclude_60d"].scope,
            got["petition_conclude_60d"].extension_amount) == ("accepted_on", "case", 30)
    assert got["petition_register_15d"].starts_from == "task"  # a supervisor's change stays


def test_the_parties_consent_in_the_model_extends_the_mediation_term_clock_to_the_agreed_day(shipped):
    db = shipped
    with time_machine.travel(at("2026-06-01"), tick=False) as traveller:
        case = start(db, "people_mediation", {})
        complete(db, case.id, "mediation_accept", dict(ACCEPT, accepted_on="2026-06-01"))
        (clock,) = clock_rows(db, case.id, "people_mediation_term_30d")
        assert local(clock.due_at) == "2026-07-01 23:59"  # 1 June + 30 = Wednesday 1 July
        traveller.move_to(at("2026-07-02"))
        with db.begin() as conn:
            service.fire_due_timers(conn, case.id)
        task_of(db, case.id, "mediation_term_expired")
        consent = {"parties_consent_extension": True, "consent_given_by": "申请人张某、被申请人李某(书面同意)",
                   "extended_until": "2026-07-17", "extension_reason": "双方仍在协商赔偿数额",
                   "extension_note": "双方书面同意延长"}
        case = complete(db, case.id, "mediation_term_expired", consent, actor="mediator1")
        # the same clock, open again, due at the end of the agreed Friday 17 July; the model's timer agrees
        (clock,) = clock_rows(db, case.id, "people_mediation_term_30d")
        assert (clock.status, clock.closed_at, local(clock.due_at)) == ("pending", None, "2026-07-17 23:59")
        assert local(case.next_timer_at) == "2026-07-17 23:59"
        assert local(task_of(db, case.id, "mediation_session").due_at) == "2026-07-17 23:59"
        with db.begin() as conn:
            ext = conn.execute(select(deadline_extensions)).one()
            last = [e for e in service.case_events(conn, case.id) if e.kind == "deadline_extended"]
        assert (ext.deadline_id, ext.kind, ext.requested_by, ext.reason, ext.approved_by, ext.amount, ext.clock) == \
            (clock.id, "consent", "申请人张某、被申请人李某(书面同意)", "双方仍在协商赔偿数额", "mediator1", 16, "natural")
        assert [(e.data["extension_kind"], e.data["new_due"]) for e in last] == \
            [("consent", clock.due_at.isoformat())]
        traveller.move_to(at("2026-07-10"))
        # mediator1 keeps the case's next mediator steps (case continuity)
        complete(db, case.id, "mediation_session", session("agreement_reached"), actor="mediator1")
        complete(db, case.id, "mediation_agreement", dict(agreement(), agreement_effective_on="2026-07-10"),
                 actor="mediator1")
        (clock,) = clock_rows(db, case.id, "people_mediation_term_30d")  # the mediation ended within its term
        assert clock.status == "met" and local(clock.closed_at) == "2026-07-10 10:00"
