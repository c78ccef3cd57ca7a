"""The holiday calendar as data: seeding, the loader and its cache, import/set/show, the banner, and the
deadlines across 元旦 2027 without the 2027 calendar and after it is entered (recomputed, on the timeline)."""

import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import func, select, update

from engine import deadlines as face
from engine.cases import pause as clocks
from engine.core import calendar as workdays
from engine.core.errors import InvalidData
from engine.deadlines import calendar as cal_db
from engine.deadlines import calendar_admin as admin
from engine.deadlines import rules
from engine.store import deadlines as store
from engine.store.tables import calendar_days, calendar_years, deadlines
from tests.helpers.engine import complete, deploy, events, open_task, start

SHANGHAI = ZoneInfo("Asia/Shanghai")
REGISTER = {"amount": 500, "channel": "window"}
NEW_YEAR_EVE = datetime(2026, 12, 31, 2, 0, tzinfo=UTC)  # Thursday 10:00 Shanghai
CAL_2027 = "date,kind,name\n2027-01-01,rest,元旦\n2027-01-02,rest,元旦\n2027-01-03,rest,元旦\n"


def local(dt: datetime) -> str:
    return dt.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def add_rule(db, duration=1, clock="workdays", key="examine_rule"):
    values = {"key": key, "name": "审查", "kind": "sla", "process_key": "review", "element_id": "examine",
              "dispute_type": None, "duration": duration, "clock": clock, "warn_fraction": None,
              "warn_before_hours": None, "escalate_after_hours": 24, "source": "test", "active": True,
              "updated_by": "test", "updated_at": datetime.now(UTC)}
    with db.begin() as conn:
        store.insert_rule(conn, values)
    rules.RULES.clear()


def examine_case(db, at=NEW_YEAR_EVE, **rule):
    """A case whose 审查 task opens at ``at`` under a rule (1 工作日 unless told)."""
    deploy(db, "review_v1.bpmn")
    add_rule(db, **rule)
    with time_machine.travel(at, tick=False):
        case = start(db)
        complete(db, case.open_tasks[0].id, REGISTER)
    return case


def rule_row(db, case_id):
    with db.begin() as conn:
        (row,) = [r for r in store.for_case(conn, case_id) if r.kind == "sla"]
    return row


def import_2027(db, text=CAL_2027, at=datetime(2027, 1, 1, 1, 0, tzinfo=UTC)):
    with time_machine.travel(at, tick=False), db.begin() as conn:
        return face.import_calendar(conn, text, actor="admin", source="国办发明电〔2026〕样例")


# --- the packaged calendar and seeding ---------------------------------------------------------------


def test_seed_adds_the_packaged_years_once(db):
    with db.begin() as conn:
        added = face.seed_calendar(conn)
        years = conn.execute(select(calendar_years.c.year, calendar_years.c.source)).all()
        assert face.seed_calendar(conn) == 0
    assert added == len(workdays.packaged().days) > 700
    assert sorted(y for y, _ in years) == list(range(2004, 2027))
    assert {s for _, s in years} == {"国务院办公厅通知（随软件发布）"}


def test_seed_leaves_a_year_an_admin_entered(db):
    with db.begin() as conn:
        face.import_calendar(conn, "2026-01-01,rest,元旦\n", actor="admin")  # (a poor file, but the admin's)
        face.seed_calendar(conn)
        n2026 = conn.execute(select(func.count()).select_from(calendar_days).where(
            calendar_days.c.day.between(date(2026, 1, 1), date(2026, 12, 31)))).scalar_one()
        n2025 = conn.execute(select(func.count()).select_from(calendar_days).where(
            calendar_days.c.day.between(date(2025, 1, 1), date(2025, 12, 31)))).scalar_one()
    assert n2026 == 1 and n2025 > 20


def test_tiaoxiu_saturday_and_sunday_of_2026_are_working_days(db):
    with db.begin() as conn:
        face.seed_calendar(conn)
        cal = face.work_calendar(conn)
    assert cal.is_workday(date(2026, 1, 4))  # Sunday, 元旦调休上班
    assert cal.is_workday(date(2026, 2, 14))  # Saturday, 春节调休上班
    assert not cal.is_workday(date(2026, 1, 2))  # Friday, 元旦
    # from Friday 2026-01-02 (元旦): Saturday 03 rest, Sunday 04 make-up working day
    assert local(cal.add_workdays(date(2026, 1, 2), 1)) == "2026-01-04 23:59"
    assert cal.confirmed(date(2026, 1, 2), cal.add_workdays(date(2026, 1, 2), 1))


def test_a_2026_task_over_a_tiaoxiu_sunday(db):
    with db.begin() as conn:
        face.seed_calendar(conn)
    case = examine_case(db, at=datetime(2026, 1, 2, 2, 0, tzinfo=UTC))  # Friday 元旦 10:00
    row = rule_row(db, case.id)
    assert local(row.due_at) == "2026-01-04 23:59" and row.calendar_confirmed and row.amount == 1


def test_the_database_is_read_not_the_package(db):
    with db.begin() as conn:
        face.seed_calendar(conn)
        conn.execute(update(calendar_days).where(calendar_days.c.day == date(2026, 1, 4)).values(kind="rest"))
        cal = cal_db.CALENDAR.refresh(conn)
    assert not cal.is_workday(date(2026, 1, 4))
    assert not workdays.default_calendar().is_workday(date(2026, 1, 4))  # callers without a connection too


def test_an_edit_elsewhere_is_seen_after_the_cache_time(db, monkeypatch):
    with db.begin() as conn:
        assert not face.work_calendar(conn).year_confirmed(2027)
        conn.execute(calendar_years.insert().values(year=2027, source="x", entered_by="other process",
                                                    entered_at=datetime.now(UTC)))
        assert not face.work_calendar(conn).year_confirmed(2027)  # still cached
        monkeypatch.setattr(cal_db, "CALENDAR_CACHE_SECONDS", 0.0)
        assert face.work_calendar(conn).year_confirmed(2027)
    assert workdays.default_calendar().year_confirmed(2027)


# --- 元旦 2027 -------------------------------------------------------------------------------------


def test_one_working_day_from_new_years_eve_without_the_2027_calendar(db):
    case = examine_case(db)
    row = rule_row(db, case.id)
    assert local(row.due_at) == "2027-01-01 23:59"  # counted Monday–Friday: a Friday
    assert row.calendar_confirmed is False
    assert local(open_task(db, case.id, "examine").due_at) == "2027-01-01 23:59"
    with time_machine.travel(datetime(2026, 12, 31, 3, 0, tzinfo=UTC), tick=False), db.begin() as conn:
        status = face.calendar_status(conn)
    assert status["banner_year"] == 2027 and status["unconfirmed_deadlines"] == 1
    assert status["banner"] == "2027 年节假日安排尚未录入，涉及 2027 年的期限按周一至周五暂算"


def test_entering_2027_recomputes_the_deadline_and_records_it(db):
    case = examine_case(db)
    task = open_task(db, case.id, "examine")
    result = import_2027(db)
    assert result == {"year": 2027, "source": "国办发明电〔2026〕样例", "rest_days": 3, "work_days": 0,
                      "recomputed": 1}
    row = rule_row(db, case.id)
    assert local(row.due_at) == "2027-01-04 23:59"  # 元旦 01-01..03 off: Monday 01-04
    assert row.calendar_confirmed is True and row.status == "pending"
    assert local(open_task(db, case.id, "examine").due_at) == "2027-01-04 23:59"
    (ev,) = [e for e in events(db, case.id) if e.kind == "deadline_recomputed"]
    assert ev.actor == "admin" and ev.task_id == task.id
    assert ev.data["reason"] == "calendar 2027 entered" and ev.data["calendar_confirmed"] is True
    assert local(datetime.fromisoformat(ev.data["old_due"])) == "2027-01-01 23:59"
    assert local(datetime.fromisoformat(ev.data["new_due"])) == "2027-01-04 23:59"
    with time_machine.travel(datetime(2027, 1, 1, 3, 0, tzinfo=UTC), tick=False), db.begin() as conn:
        status = face.calendar_status(conn)
    assert status["banner_year"] is None and status["unconfirmed_deadlines"] == 0


def test_warn_time_moves_with_the_due_time(db):
    case = examine_case(db)
    before = rule_row(db, case.id)
    import_2027(db)
    after = rule_row(db, case.id)
    assert after.warn_at - before.warn_at == after.due_at - before.due_at == timedelta(days=3)


def test_a_natural_day_limit_ending_on_new_years_day_rolls_forward(db):
    case = examine_case(db, at=datetime(2026, 12, 17, 2, 0, tzinfo=UTC), duration=15, clock="natural")
    row = rule_row(db, case.id)
    assert local(row.due_at) == "2027-01-01 23:59" and row.calendar_confirmed is False
    import_2027(db)
    row = rule_row(db, case.id)
    assert local(row.due_at) == "2027-01-04 23:59" and row.calendar_confirmed is True


def test_a_limit_within_2026_is_confirmed_and_not_recomputed(db):
    case = examine_case(db, at=datetime(2026, 12, 1, 2, 0, tzinfo=UTC), duration=5)
    row = rule_row(db, case.id)
    assert local(row.due_at) == "2026-12-08 23:59" and row.calendar_confirmed is True
    assert import_2027(db)["recomputed"] == 0
    assert rule_row(db, case.id).due_at == row.due_at


def test_extension_and_pause_are_reapplied(db):
    case = examine_case(db)
    row = rule_row(db, case.id)
    with time_machine.travel(NEW_YEAR_EVE + timedelta(hours=1), tick=False), db.begin() as conn:
        out = clocks.extend_deadline(conn, row.id, 2, "workdays", "材料补正", approved_by="sup")
        conn.execute(update(deadlines).where(deadlines.c.id == row.id).values(paused_seconds=3600))
    assert local(out["new_due_at"]) == "2027-01-05 23:59"  # Monday–Friday: 04, 05
    assert rule_row(db, case.id).calendar_confirmed is False
    import_2027(db)
    row = rule_row(db, case.id)
    # 1 工作日 → Mon 01-04 23:59, + 1 h paused → Tue 01-05 00:59, + 2 工作日 → Thu 01-07 23:59
    assert local(row.due_at) == "2027-01-07 23:59" and row.calendar_confirmed is True
    assert local(open_task(db, case.id, "examine").due_at) == "2027-01-07 23:59"


def test_rows_without_an_amount_keep_their_due_time_but_are_marked(db):
    case = examine_case(db)
    with db.begin() as conn:
        conn.execute(update(deadlines).where(deadlines.c.kind == "sla")
                     .values(amount=None, calendar_confirmed=True))
    before = rule_row(db, case.id)
    import_2027(db)
    after = rule_row(db, case.id)
    assert after.due_at == before.due_at and after.calendar_confirmed is False
    assert [e for e in events(db, case.id) if e.kind == "deadline_recomputed"] == []


def test_setting_one_day_recomputes_but_does_not_confirm_the_year(db):
    case = examine_case(db)
    with time_machine.travel(datetime(2026, 12, 31, 5, 0, tzinfo=UTC), tick=False), db.begin() as conn:
        out = face.set_calendar_day(conn, date(2027, 1, 1), "rest", actor="admin", name="元旦")
    assert out["recomputed"] == 1 and out["year_confirmed"] is False
    row = rule_row(db, case.id)
    assert local(row.due_at) == "2027-01-04 23:59" and row.calendar_confirmed is False
    (ev,) = [e for e in events(db, case.id) if e.kind == "deadline_recomputed"]
    assert ev.data["reason"] == "calendar 2027-01-01 set rest"


def test_a_fired_deadline_moved_into_the_future_is_pending_again(db):
    case = examine_case(db)
    with db.begin() as conn:
        conn.execute(update(deadlines).where(deadlines.c.kind == "sla").values(status="fired"))
    import_2027(db, at=datetime(2027, 1, 2, 1, 0, tzinfo=UTC))  # after the provisional due time
    assert rule_row(db, case.id).status == "pending"


def test_sandbox_calendar_follows_the_database(db):
    import_2027(db)
    assert not workdays.default_calendar().is_workday(date(2027, 1, 1))
    assert local(rules.due_time(NEW_YEAR_EVE, 1, "workdays")) == "2027-01-04 23:59"


# --- the banner ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("at", "year"), [
    (datetime(2026, 10, 31, 15, 59, tzinfo=UTC), None),  # 31 October 23:59 Shanghai
    (datetime(2026, 10, 31, 16, 0, tzinfo=UTC), 2027),  # 1 November 00:00 Shanghai
    (datetime(2026, 3, 1, 4, 0, tzinfo=UTC), None),
    (datetime(2027, 3, 1, 4, 0, tzinfo=UTC), 2027),  # the year itself, still not entered
])
def test_banner_from_the_first_of_november(db, at, year):
    with time_machine.travel(at, tick=False), db.begin() as conn:
        assert face.calendar_status(conn)["banner_year"] == year


# --- import, set, show -----------------------------------------------------------------------------


def test_json_import_and_show(db):
    doc = {"year": 2027, "source": "国办发明电〔2026〕样例", "days": [
        {"date": "2027-01-01", "kind": "rest", "name": "元旦"},
        {"date": "2027-02-20", "kind": "work", "name": "春节调休上班"}]}
    with db.begin() as conn:
        face.import_calendar(conn, json.dumps(doc, ensure_ascii=False), actor="admin")
        shown = face.show_calendar_year(conn, 2027)
        packaged = face.show_calendar_year(conn, 2025)
    assert shown["confirmed"] and shown["source"] == "国办发明电〔2026〕样例" and shown["entered_by"] == "admin"
    assert [(d["date"], d["kind"], d["name"]) for d in shown["days"]] == [
        (date(2027, 1, 1), "rest", "元旦"), (date(2027, 2, 20), "work", "春节调休上班")]
    assert packaged["confirmed"] and len(packaged["days"]) > 20


def test_reimport_replaces_the_year(db):
    import_2027(db)
    import_2027(db, "2027-01-01,rest,元旦\n")
    with db.begin() as conn:
        assert [d["date"] for d in face.show_calendar_year(conn, 2027)["days"]] == [date(2027, 1, 1)]


@pytest.mark.parametrize(("text", "field"), [
    ("2027-01-01,rest,元旦\n2027-13-01,rest,x\n", "第 2 行"),
    ("2027-01-01,rest,元旦\n2027-01-02,holiday,x\n", "第 2 行"),
    ("2027-01-01,rest,元旦\n2028-01-01,rest,元旦\n", "第 2 行"),
    ("2027-01-01,rest,元旦\n2027-01-01,rest,元旦\n", "第 2 行"),
    ("2027-01-01,rest,元旦\n2027-01-05,work,调休\n", "第 2 行"),  # a Tuesday
    ("2027-01-01\n", "第 1 行"),
    ('{"year": 2027, "days": [{"date": "2027-01-01", "kind": "rest"}, {"date": "2027-1-x", "kind": "rest"}]}',
     "days[1]"),
    ('{"year": 2026, "days": [{"date": "2027-01-01", "kind": "rest"}]}', "days[0]"),
    ('{"year": 2027, "days": [', "file"),
    ("", "file"),
    ("2027-02-06,work,调休\n", "file"),  # no rest day
])
def test_a_bad_file_names_the_line_and_changes_nothing(db, text, field):
    with db.begin() as conn:
        with pytest.raises(InvalidData) as err:
            face.import_calendar(conn, text, actor="admin")
        assert field in err.value.errors, err.value.errors
        assert conn.execute(select(func.count()).select_from(calendar_years)).scalar_one() == 0


def test_set_day_is_checked(db):
    with db.begin() as conn:
        with pytest.raises(InvalidData):
            face.set_calendar_day(conn, date(2027, 1, 5), "work", actor="admin")  # a Tuesday
        with pytest.raises(InvalidData):
            face.set_calendar_day(conn, date(2027, 1, 5), "holiday", actor="admin")
        face.set_calendar_day(conn, date(2027, 1, 5), "rest", actor="admin", name="调休")
        face.set_calendar_day(conn, date(2027, 1, 5), "normal", actor="admin")
        assert face.show_calendar_year(conn, 2027)["days"] == []


def test_csv_accepts_comments_header_and_chinese_kinds():
    parsed = admin.parse("\ufeff# 2027 年样例\ndate,kind,name\n2027-01-01,休,元旦\n\n2027-02-06,班\n")
    assert parsed == {"year": 2027, "source": None, "days": [(date(2027, 1, 1), "rest", "元旦"),
                                                              (date(2027, 2, 6), "work", None)]}
