"""petition_handling (信访事项办理): acceptance, conclusion, extension and the statutory deadlines."""

from datetime import UTC, datetime

import pytest

from engine.core.calendar import SHANGHAI
from engine.core.errors import InvalidData
from engine.deadlines import seed_rules
from tests.helpers.process_driver import (
    HOLD_HEARING,
    SUPERVISION,
    Check,
    Expect,
    Wait,
    assert_closed,
    drive,
    extension,
    handle,
    hearing,
    opinion,
    recheck_decision,
    recheck_request,
    register,
    review_decision,
    review_request,
)

KEY = "petition_handling"
# the 处理意见书 is served, and the petitioner does not ask for a review within 30 days: the matter ends
OPINION_FINAL = [("petition_opinion", opinion()), Wait(days=33)]


def test_not_accepted(db):
    case, visited = drive(db, KEY, [("petition_register", register("not_accepted"))])
    assert visited == ["petition_register"]
    assert_closed(case, "refused")


def test_transferred_to_the_competent_body(db):
    case, visited = drive(db, KEY, [("petition_register", register("transferred"))])
    assert visited == ["petition_register"]
    assert_closed(case, "transferred")  # 转送: not concluded here
    assert case.data["petition_returned"] is False


def test_accepted_and_concluded(db):
    case, visited = drive(db, KEY, [("petition_register", register()), ("petition_handle", handle()), *OPINION_FINAL])
    assert visited == ["petition_register", "petition_handle", "petition_opinion"]
    assert_closed(case, "petition_concluded")
    assert case.data["petition_extended"] is False
    assert case.data["petition_due"] < case.data["petition_due_final"]


def test_accepted_and_withdrawn(db):
    case, visited = drive(db, KEY, [("petition_register", register()), ("petition_handle", handle("withdrawn"))])
    assert visited == ["petition_register", "petition_handle"]
    assert_closed(case, "withdrawn")


def test_extension_approved(db):
    case, visited = drive(db, KEY, [("petition_register", register()), ("petition_handle", handle("request_extension")),
                                    ("petition_extension_approve", extension(True)), ("petition_handle", handle()),
                                    *OPINION_FINAL])
    assert visited == ["petition_register", "petition_handle", "petition_extension_approve", "petition_handle",
                       "petition_opinion"]
    assert_closed(case, "petition_concluded")
    assert case.data["petition_extended"] is True


def test_extension_refused(db):
    case, visited = drive(db, KEY, [("petition_register", register()), ("petition_handle", handle("request_extension")),
                                    ("petition_extension_approve", extension(False)), ("petition_handle", handle()),
                                    *OPINION_FINAL])
    assert visited == ["petition_register", "petition_handle", "petition_extension_approve", "petition_handle",
                       "petition_opinion"]
    assert_closed(case, "petition_concluded")
    assert case.data["petition_extended"] is False


def test_registration_overdue_after_15_days_is_supervised(db):
    case, visited = drive(db, KEY, [Wait(days=14), Expect(absent=["petition_register_overdue"]),
                                    Wait(days=3), Expect(open=["petition_register", "petition_register_overdue"]),
                                    ("petition_register_overdue", SUPERVISION),
                                    ("petition_register", register()), ("petition_handle", handle()),
                                    *OPINION_FINAL])
    assert visited == ["petition_register_overdue", "petition_register", "petition_handle", "petition_opinion"]
    assert_closed(case, "petition_concluded")


def test_handling_overdue_after_60_days_is_supervised(db):
    # accepted 3 March 2025: day 60 is 2 May (May Day holiday), so the deadline rolls to 6 May
    case, visited = drive(db, KEY, [("petition_register", register()),
                                    Wait(days=62), Expect(open=["petition_handle"], absent=["petition_overdue_supervise"]),
                                    Wait(days=8), Expect(open=["petition_handle", "petition_overdue_supervise"]),
                                    ("petition_overdue_supervise", dict(SUPERVISION, accountability=True)),
                                    ("petition_handle", handle()), *OPINION_FINAL])
    assert visited == ["petition_register", "petition_overdue_supervise", "petition_handle", "petition_opinion"]
    assert_closed(case, "petition_concluded")


def test_extended_handling_is_overdue_only_after_90_days(db):
    case, visited = drive(db, KEY, [("petition_register", register()),
                                    ("petition_handle", handle("request_extension")),
                                    ("petition_extension_approve", extension(True)),
                                    Wait(days=70), Expect(open=["petition_handle"], absent=["petition_overdue_supervise"]),
                                    Wait(days=30), Expect(open=["petition_handle", "petition_overdue_supervise"]),
                                    ("petition_handle", handle()),
                                    ("petition_overdue_supervise", SUPERVISION), *OPINION_FINAL])
    assert visited == ["petition_register", "petition_handle", "petition_extension_approve", "petition_handle",
                       "petition_overdue_supervise", "petition_opinion"]
    assert_closed(case, "petition_concluded")


# ----------------------------------------------------------------------------- 信访工作条例 (2022): the legal path
# Every due time below is checked to the minute in Shanghai time; the case's next timer is the step's limit.

def _seed_rules(db):
    with db.begin() as conn:
        seed_rules(conn)


def _local(at) -> str:
    return at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def _next_timer(expected: str):
    def check(case):
        assert _local(case.next_timer_at) == expected
    return check


def _task_due(element: str, expected: str):
    def check(case):
        (task,) = [t for t in case.open_tasks if t.element_id == element]
        assert task.due_at is not None and _local(task.due_at) == expected
    return check


def test_review_and_recheck_with_a_hearing_to_the_final_opinion(db):
    _seed_rules(db)
    case, visited = drive(db, KEY, [
        ("petition_register", register()), ("petition_handle", handle()),
        Wait(days=2),  # Wednesday 5 March: the 处理意见书 is served and received
        ("petition_opinion", opinion(served="2025-03-05", received="2025-03-05")),
        # 30 days from receipt end on 4 April, 清明 (4–6 April 2025 off): the window runs to Monday 7 April
        Check(_next_timer("2025-04-07 23:59")), Expect(open=["petition_review_request"]),
        Wait(days=20), ("petition_review_request", review_request("2025-03-25")),
        # 复查 within 30 days of the request: 24 April (rule and model timer agree)
        Check(_next_timer("2025-04-24 23:59")), Check(_task_due("petition_review_decide", "2025-04-24 23:59")),
        Wait(days=10), ("petition_review_decide", review_decision(received="2025-04-04")),
        # 复核 may be requested within 30 days of receiving the 复查意见: 4 May is in the May Day holiday → 6 May
        Check(_next_timer("2025-05-06 23:59")),
        Wait(days=5), ("petition_recheck_request", recheck_request("2025-04-09")),
        Check(_next_timer("2025-05-09 23:59")), Check(_task_due("petition_recheck_decide", "2025-05-09 23:59")),
        ("petition_recheck_decide", HOLD_HEARING),
        Expect(open=["petition_recheck_hearing"], absent=["petition_recheck_decide"]),
        Wait(days=6), ("petition_recheck_hearing", hearing("2025-04-14", "2025-04-15")),
        # two hearing days are not counted: 11 May (a Sunday) → Monday 12 May
        Check(_next_timer("2025-05-12 23:59")),
        Wait(days=5), ("petition_recheck_decide", recheck_decision("2025-04-20")),
    ])
    assert visited == ["petition_register", "petition_handle", "petition_opinion", "petition_review_request",
                       "petition_review_decide", "petition_recheck_request", "petition_recheck_decide",
                       "petition_recheck_hearing", "petition_recheck_decide"]
    assert_closed(case, "petition_concluded")
    assert (case.data["petition_closure"], case.data["petition_final"], case.data["hearing_days"]) == ("recheck", True, 2)
    assert (case.data["accepted_on"], case.data["notice_served_on"]) == ("2025-03-03", "2025-03-03")
    assert (case.data["opinion_received_on"], case.data["review_applied_on"], case.data["recheck_applied_on"]) == (
        "2025-03-05", "2025-03-25", "2025-04-09")
    assert _local(case.completed_at) == "2025-04-20 10:00"


def test_no_review_requested_the_matter_ends_when_the_30_days_pass(db):
    # opinion received Monday 3 March: the 30th day is Wednesday 2 April, so the matter ends at its last minute
    case, visited = drive(db, KEY, [
        ("petition_register", register()), ("petition_handle", handle()), ("petition_opinion", opinion()),
        Check(_next_timer("2025-04-02 23:59")),
        Wait(until=datetime(2025, 4, 2, 15, 59, tzinfo=UTC)),  # 23:59 Shanghai: still open
        Expect(open=["petition_review_request"]), Check(lambda c: _is(c.status, "active")),
        Wait(until=datetime(2025, 4, 2, 16, 0, tzinfo=UTC)),  # 00:00 on 3 April: the window has passed
    ])
    assert visited == ["petition_register", "petition_handle", "petition_opinion"]
    assert_closed(case, "petition_concluded")
    assert (case.data["petition_closure"], case.data["petition_final"]) == ("opinion", False)
    assert _local(case.completed_at) == "2025-04-03 00:00"


def test_review_opinion_not_challenged_ends_after_30_days(db):
    case, visited = drive(db, KEY, [
        ("petition_register", register()), ("petition_handle", handle()), ("petition_opinion", opinion()),
        ("petition_review_request", review_request("2025-03-03")),
        ("petition_review_decide", review_decision(received="2025-03-03", decision="changed")),
        Check(_next_timer("2025-04-02 23:59")), Wait(days=31),
    ])
    assert visited[-2:] == ["petition_review_request", "petition_review_decide"]
    assert_closed(case, "petition_concluded")
    assert (case.data["petition_closure"], case.data["review_decision"]) == ("review", "changed")


def test_transfer_ends_as_transferred_with_the_written_notice(db):
    case, _ = drive(db, KEY, [("petition_register", register("transferred"))])
    assert_closed(case, "transferred")
    assert case.outcome != "petition_concluded"
    assert (case.data["transferred_to"], case.data["notice_served_on"]) == ("区住房和建设局", "2025-03-03")


def test_non_acceptance_needs_the_written_notice(db):
    form = register("not_accepted")
    del form["notice_served_on"]
    with pytest.raises(InvalidData) as err:
        drive(db, KEY, [("petition_register", form)])
    assert "notice_served_on" in str(err.value.errors) + str(err.value)
    case, _ = drive(db, KEY, [("petition_register", register("not_accepted"))])
    assert_closed(case, "refused")
    assert (case.data["notice_no"], case.data["notice_served_on"]) == ("福田信告〔2025〕0001号", "2025-03-03")


def test_acceptance_needs_the_date_of_acceptance(db):
    form = register()
    del form["accepted_on"]
    with pytest.raises(InvalidData):
        drive(db, KEY, [("petition_register", form)])


OBJECTION = {"objection_sent_to": "福田区信访局", "objection_sent_on": "2025-03-07",
             "objection_reason": "该事项属区住房和建设局职权范围。"}


def test_objection_to_a_misdirected_item_within_5_working_days_across_a_weekend(db):
    _seed_rules(db)
    wednesday = datetime(2025, 3, 5, 2, 0, tzinfo=UTC)  # received and registered Wednesday 5 March, 10:00
    case, visited = drive(db, KEY, [
        ("petition_register", register("objection", on="2025-03-05")),
        # Thu 6, Fri 7, (weekend), Mon 10, Tue 11, Wed 12: the 5th working day
        Check(_next_timer("2025-03-12 23:59")), Check(_task_due("petition_objection", "2025-03-12 23:59")),
        Wait(until=datetime(2025, 3, 12, 15, 59, tzinfo=UTC)), Expect(absent=["petition_objection_overdue"]),
        Wait(until=datetime(2025, 3, 12, 16, 0, tzinfo=UTC)),
        Expect(open=["petition_objection", "petition_objection_overdue"]),
        ("petition_objection_overdue", SUPERVISION), ("petition_objection", OBJECTION),
        ("petition_objection_reply", {"objection_agreed": True, "objection_reply_on": "2025-03-14"}),
    ], start=wednesday)
    assert visited == ["petition_register", "petition_objection_overdue", "petition_objection", "petition_objection_reply"]
    assert_closed(case, "transferred")  # materials returned: not concluded here
    assert case.data["petition_returned"] is True


def test_objection_not_agreed_the_office_registers_and_handles(db):
    case, visited = drive(db, KEY, [
        ("petition_register", register("objection")), ("petition_objection", OBJECTION),
        ("petition_objection_reply", {"objection_agreed": False, "objection_reply_on": "2025-03-04"}),
        ("petition_register", register()), ("petition_handle", handle()), *OPINION_FINAL,
    ])
    assert visited == ["petition_register", "petition_objection", "petition_objection_reply", "petition_register",
                       "petition_handle", "petition_opinion"]
    assert_closed(case, "petition_concluded")


def test_extension_approval_records_approver_reason_and_when_the_petitioner_was_told(db):
    refused_without_date = dict(extension(True))
    del refused_without_date["party_told_on"]
    with pytest.raises(InvalidData):
        drive(db, KEY, [("petition_register", register()), ("petition_handle", handle("request_extension")),
                        ("petition_extension_approve", refused_without_date)])
    case, _ = drive(db, KEY, [("petition_register", register()), ("petition_handle", handle("request_extension")),
                              ("petition_extension_approve", extension(True)),
                              Check(_next_timer("2025-06-03 23:59"))])
    # accepted 3 March: 60 + 30 days end on 1 June (a Sunday) → Monday 2 June is 端午 (31 May–2 June) → 3 June
    assert (case.data["approved_by"], case.data["party_told_on"]) == ("刘主任", "2025-03-04")
    assert case.data["extension_reason"] == "涉及多个部门,情况复杂"


def _is(value, expected):
    assert value == expected
