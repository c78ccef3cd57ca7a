"""Early warning at intake (engine.cases.warning): group case, red risk, repeat petitioner, 越级, repeat
visits; one email per case and reason set to the community's leaders and 综治 supervisors, through the outbox."""

from datetime import UTC, datetime

import pytest
import time_machine
from sqlalchemy import select

from engine import cases
from engine.core.settings import get_settings
from engine.core.types import User
from engine.notifications import compose
from engine.store.tables import cases as case_rows
from engine.store.tables import outbox
from tests.helpers.process_driver import APPLICANT, intake

WINDOW = User(1, "window1", "intake", ["福田社区"])
AT = datetime(2026, 3, 2, 2, 30, tzinfo=UTC)  # Monday 10:30 Shanghai
pytestmark = pytest.mark.usefixtures("process_bundle")


def register(db, data, user=WINDOW, at=AT):
    with time_machine.travel(at, tick=False), db.begin() as conn:
        return cases.register_case(conn, "dispute_case", data, user=user, actor="cli")


def emails(db, case_id):
    with db.begin() as conn:
        return list(conn.execute(select(outbox).where(outbox.c.case_id == case_id, outbox.c.template == "early_warning")
                                 .order_by(outbox.c.to_user, outbox.c.id)))


def warnings(db, case_id):
    with db.begin() as conn:
        return [e for e in cases.case_events(conn, case_id) if e.kind == "early_warning"]


def test_a_quiet_case_warns_nobody(db, people):
    case = register(db, intake()).case
    assert emails(db, case.id) == [] and warnings(db, case.id) == []


@pytest.mark.parametrize("over, reasons", [
    ({"people_count": 5}, ["group_case"]),
    ({"risk_level": "red"}, ["red_risk"]),
    ({"over_level": True}, ["over_level"]),
    ({"people_count": 12, "risk_level": "red", "over_level": True}, ["group_case", "red_risk", "over_level"]),
])
def test_intake_warns_the_communitys_leaders_and_supervisors_at_once(db, people, over, reasons):
    case = register(db, intake(**over)).case
    rows = emails(db, case.id)
    assert [r.to_user for r in rows] == ["leader1", "sup_ft"]  # not 南山's, not the mediator
    assert all(r.context["reasons"] == reasons and r.status == "pending" for r in rows)
    assert all(r.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M") == "2026-03-02 02:30" for r in rows)
    [ev] = warnings(db, case.id)
    assert ev.data["reasons"] == reasons and sorted(ev.data["emails"]) == ["leader1", "sup_ft"]
    with db.begin() as conn:
        over_level = conn.execute(select(case_rows.c.over_level).where(case_rows.c.id == case.id)).scalar_one()
    assert over_level is bool(over.get("over_level"))


def test_the_email_lists_the_reasons_in_chinese_and_holds_no_personal_data(db, people):
    case = register(db, intake(people_count=6, risk_level="red")).case
    row = emails(db, case.id)[0]
    msg = compose(row)
    text = msg.get_body(("plain",)).get_content()
    assert msg["Subject"].startswith("【预警】") and "群体性纠纷（涉及6人）" in msg["Subject"]
    assert "红色风险等级" in text and case.case_number in text
    assert APPLICANT["id_number"] not in str(row.context) and APPLICANT["phone"] not in text
    assert APPLICANT["name"] not in text


def test_a_repeat_petitioner_is_warned_once_with_every_reason(db, people):
    register(db, intake(request_kind="petition", dispute_type="contract"))
    second = register(db, intake(request_kind="petition", risk_level="red"))
    assert second.repeat_petitioner
    rows = emails(db, second.case.id)
    assert len(rows) == 2 and rows[0].context["reasons"] == ["red_risk", "repeat_petitioner"]
    assert [e.data["reasons"] for e in warnings(db, second.case.id)] == [["red_risk", "repeat_petitioner"]]


def test_an_operator_intake_left_open_still_warns_once(db, people):
    case = register(db, intake(people_count=8), user=None).case
    assert [t.element_id for t in case.open_tasks] == ["intake"]
    assert len(emails(db, case.id)) == 2
    with time_machine.travel(AT, tick=False), db.begin() as conn:  # the window completes the intake later
        cases.complete_task(conn, case.open_tasks[0].id, intake(people_count=8), actor="window1")
    assert len(emails(db, case.id)) == 2 and len(warnings(db, case.id)) == 1


def test_repeat_visits_are_recorded_on_the_open_matter_and_the_third_warns(db, people):
    first = register(db, intake()).case
    assert emails(db, first.id) == []
    second = register(db, intake(summary="再次来访，称漏水仍未修复", channel="hotline_12345",
                                 received_on="2026-03-09"), at=datetime(2026, 3, 9, 1, 15, tzinfo=UTC))
    assert second.repeat_visit and second.case.id == first.id and second.visit_count == 2
    assert emails(db, first.id) == []  # 2 visits: below the setting (3)
    third = register(db, intake(), at=datetime(2026, 3, 16, 6, 40, tzinfo=UTC))
    assert third.visit_count == 3
    rows = emails(db, first.id)
    assert [r.context["reasons"] for r in rows] == [["repeat_visits"]] * 2
    assert rows[0].context["visit_count"] == 3
    assert rows[0].created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M") == "2026-03-16 06:40"
    with db.begin() as conn:
        events = cases.case_events(conn, first.id)
        count = conn.execute(select(case_rows.c.visit_count).where(case_rows.c.id == first.id)).scalar_one()
    visits = [e for e in events if e.kind == "repeat_visit"]
    assert count == 3 and [v.data["visit_count"] for v in visits] == [2, 3]
    assert visits[0].data["channel"] == "hotline_12345" and visits[0].data["date"] == "2026-03-09"
    assert "漏水仍未修复" in visits[0].data["summary"]
    assert visits[0].at.astimezone(UTC).strftime("%Y-%m-%d %H:%M") == "2026-03-09 01:15"
    register(db, intake(), at=datetime(2026, 3, 17, 1, 0, tzinfo=UTC))  # a 4th visit: same reason set
    assert len(emails(db, first.id)) == 2


def test_the_repeat_visit_threshold_is_a_setting(db, people, monkeypatch):
    monkeypatch.setenv("TIAOJIE_REPEAT_VISIT_WARN", "2")
    get_settings.cache_clear()
    try:
        first = register(db, intake()).case
        register(db, intake())
        assert [r.context["reasons"] for r in emails(db, first.id)] == [["repeat_visits"]] * 2
    finally:
        monkeypatch.delenv("TIAOJIE_REPEAT_VISIT_WARN")
        get_settings.cache_clear()


def test_a_new_reason_warns_again_listing_all(db, people):
    first = register(db, intake(people_count=6)).case
    register(db, intake())
    register(db, intake())
    reasons = [e.data["reasons"] for e in warnings(db, first.id)]
    assert reasons == [["group_case"], ["group_case", "repeat_visits"]]
    assert len(emails(db, first.id)) == 4
