"""petition_handling (信访事项办理): acceptance, conclusion, extension and the statutory deadlines."""

from tests.helpers.process_driver import (
    SUPERVISION,
    Expect,
    Wait,
    assert_closed,
    drive,
    extension,
    handle,
    opinion,
    register,
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
