"""GET /dashboard/sla: counts match the cases made, every day of the trend is present, now is Python's clock."""

from datetime import UTC, datetime, timedelta

import time_machine

from engine.cases import service
from tests.helpers.api import client_for
from tests.helpers.ui import lawyer_case, new_case, set_due, setup_app

API = "/api/v1"
NOW = datetime(2025, 3, 12, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai


def _world(db):
    """Cases A, B (福田, overdue today / yesterday), C (岗厦, due in 5 h), D (福田, lawyer review in 3 days),
    E (cancelled today), F (福田, opened ten days ago, no due time)."""
    with time_machine.travel(NOW - timedelta(days=10), tick=False):
        app = setup_app(db)
        f = new_case(db)
    with time_machine.travel(NOW, tick=False):
        a, b, c = new_case(db), new_case(db), new_case(db, "岗厦社区")
        d = lawyer_case(db)
        e = new_case(db)
        with db.begin() as conn:
            service.cancel_case(conn, e[0], "super1", "当事人撤回")
    set_due(db, (a[1], NOW - timedelta(hours=2)), (b[1], NOW - timedelta(days=1, hours=1)),
            (c[1], NOW + timedelta(hours=5)), (d[1], NOW + timedelta(days=3)), (f[1], None))
    return app, {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f}


def test_sla_dashboard_counts(db):
    app, cases = _world(db)
    with time_machine.travel(NOW, tick=False):
        r = client_for(app, "super1").get(f"{API}/dashboard/sla")
    assert r.status_code == 200, r.text
    body = r.json()
    assert datetime.fromisoformat(body["now"]) == NOW and body["at_risk_hours"] == 24
    assert [(s["process_key"], s["element_id"], s["name"], s["count"]) for s in body["open_by_stage"]] == [
        ("dispute_case", "intake", "受理登记", 4), ("dispute_case", "lawyer_review", "律师甄别确认分流", 1)]
    assert body["by_group"] == [{"group": "intake", "open": 4, "overdue": 2, "at_risk": 1},
                                {"group": "lawyer", "open": 1, "overdue": 0, "at_risk": 0}]
    assert body["by_community"] == [{"community": "岗厦社区", "open": 1, "overdue": 0, "at_risk": 1},
                                    {"community": "福田社区", "open": 4, "overdue": 2, "at_risk": 0}]
    trend = body["trend"]
    assert len(trend) == 30 and trend[0]["date"] == "2025-02-11" and trend[-1]["date"] == "2025-03-12"
    by_day = {t["date"]: t for t in trend}
    assert by_day["2025-03-12"] == {"date": "2025-03-12", "opened": 5, "closed": 1, "breached": 1}
    assert by_day["2025-03-11"] == {"date": "2025-03-11", "opened": 0, "closed": 0, "breached": 1}
    assert by_day["2025-03-02"]["opened"] == 1
    assert sum(t["opened"] for t in trend) == 6 and sum(t["breached"] for t in trend) == 2
    assert [(x["task_id"], x["case_id"], x["overdue_seconds"], x["group"], x["community"])
            for x in body["breaches"]] == [
        (cases["b"][1], cases["b"][0], 90000, "intake", "福田社区"),
        (cases["a"][1], cases["a"][0], 7200, "intake", "福田社区")]
    assert body["breaches"][0]["case_number"].startswith("福田调〔2025〕")
    # leaders and admins see the same; a moved clock moves "now" (C becomes overdue)
    with time_machine.travel(NOW, tick=False):
        assert client_for(app, "leader1").get(f"{API}/dashboard/sla").json()["by_group"] == body["by_group"]
    with time_machine.travel(NOW + timedelta(hours=6), tick=False):
        later = client_for(app, "admin1").get(f"{API}/dashboard/sla").json()
    assert later["by_community"][0] == {"community": "岗厦社区", "open": 1, "overdue": 1, "at_risk": 0}
    assert [x["task_id"] for x in later["breaches"]] == [cases["b"][1], cases["a"][1], cases["c"][1]]


def test_sla_dashboard_access(db):
    app, _ = _world(db)
    assert client_for(app).get(f"{API}/dashboard/sla").status_code == 401
    for name in ("window1", "mediator1", "lawyer1"):
        r = client_for(app, name).get(f"{API}/dashboard/sla")
        assert r.status_code == 403 and r.json()["error"] == "forbidden"


def test_sla_dashboard_empty_has_every_day(db):
    app = setup_app(db)
    body = client_for(app, "super1").get(f"{API}/dashboard/sla").json()
    assert body["open_by_stage"] == [] and body["by_group"] == [] and body["breaches"] == []
    assert len(body["trend"]) == 30 and all(t["opened"] == t["closed"] == t["breached"] == 0 for t in body["trend"])
    days = [datetime.fromisoformat(t["date"]) for t in body["trend"]]
    assert all((b - a).days == 1 for a, b in zip(days, days[1:], strict=False))


def test_sla_dashboard_lists_early_warning_cases_and_counts_over_level(db):
    """Early warnings: open cases with a group, red-risk, repeat-petitioner, 越级 or repeat-visit reason,
    in the viewer's scope; 越级 petitions counted."""
    with time_machine.travel(NOW, tick=False):
        app = setup_app(db)
        group = new_case(db, people_count=7)[0]
        over = new_case(db, "岗厦社区", over_level=True, request_kind="petition")[0]
        new_case(db)  # quiet: not listed
        red_closed = new_case(db, risk_level="red")[0]
        with db.begin() as conn:
            service.cancel_case(conn, red_closed, "super1", "当事人撤回")
        body = client_for(app, "super1").get(f"{API}/dashboard/sla").json()
    assert body["early_warning_count"] == 2 and body["over_level_count"] == 1
    assert [(w["case_id"], w["reasons"], w["community"]) for w in body["early_warnings"]] == [
        (over, ["over_level"], "岗厦社区"), (group, ["group_case"], "福田社区")]
    assert body["early_warnings"][0]["visit_count"] == 1
