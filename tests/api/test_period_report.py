"""The report of a period over HTTP (?period=2026Q4|2026|ytd or ?from=…&to=…) and in the CLI; bad periods refused."""

import json
import os
import subprocess
import sys
from datetime import datetime
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.helpers.api import client_for
from tests.helpers.paths import ROOT
from tests.helpers.period import PERIOD

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_quarter_year_to_date_and_custom_periods(app, period_leader):
    r = period_leader.get(PERIOD, params={"period": "2026Q4"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["period"] == {"from": "2026-10-01", "to": "2026-12-31", "label": "2026年第4季度"}
    p = body["petitions"]
    # an imported 转送 row is closed but not concluded; imported rows have no clock data
    assert (p["received"], p["concluded"], p["transferred"], p["no_clock_data"]) == (2, 1, 1, 1)
    assert all(ch["ok"] for ch in body["checks"])

    custom = period_leader.get(PERIOD, params={"from": "2026-03-01", "to": "2026-03-31"}).json()
    assert custom["period"]["label"] == "2026年3月1日至3月31日" and custom["petitions"]["received"] == 1

    with time_machine.travel(datetime(2026, 12, 5, 9, 0, tzinfo=SHANGHAI), tick=False):
        then = client_for(app, "leader1")  # logged in on that day
        ytd = then.get(PERIOD, params={"period": "ytd"}).json()
        default = then.get(PERIOD).json()  # no period named: the year to date
    assert ytd["period"]["label"] == default["period"]["label"] == "2026年1月1日至12月5日"
    assert ytd["petitions"]["received"] == 4 - 1  # TJ-1 is mediation, not a petition

    md = period_leader.get(PERIOD, params={"period": "2026Q4", "format": "md"})
    assert md.headers["content-type"] == "text/markdown; charset=utf-8"
    disposition = md.headers["content-disposition"]
    assert disposition.startswith('inline; filename="report-2026-10-01-2026-12-31.md"')
    assert unquote(disposition.split("UTF-8''")[1]) == "2026年第4季度报告.md"
    assert md.text.startswith("# 2026年第4季度矛盾纠纷多元化解工作报告")
    assert "转送有权处理机关1件，不计入办结" in md.text


@pytest.mark.parametrize(("params", "field"), [
    ({"period": "2026Q5"}, "period"), ({"period": "二〇二六"}, "period"),
    ({"from": "2026-10-01"}, "to"), ({"from": "2026-12-01", "to": "2026-11-01"}, "to"),
    ({"period": "2026", "from": "2026-01-01", "to": "2026-01-31"}, "to"),
])
def test_bad_periods_are_422_with_the_field(period_leader, params, field):
    r = period_leader.get(PERIOD, params=params)
    assert r.status_code == 422, r.text
    assert field in r.json()["fields"], r.json()


def test_an_impossible_date_is_422(period_leader):
    assert period_leader.get(PERIOD, params={"from": "2026-02-30", "to": "2026-03-01"}).status_code == 422


def test_roles(app):
    assert client_for(app, "mediator1").get(PERIOD, params={"period": "2026"}).status_code == 403


def _cli(db, *args) -> subprocess.CompletedProcess:
    env = {**os.environ, "TIAOJIE_DATABASE_URL": db.url}
    return subprocess.run([sys.executable, "-m", "cli.main", "report", "period", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_cli_period_equals_the_api_and_refuses_bad_periods(db, period_leader):
    proc = _cli(db, "--period", "2026Q4")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == period_leader.get(PERIOD, params={"period": "2026Q4"}).json()
    md = _cli(db, "--from", "2026-03-01", "--to", "2026-03-31", "--format", "md")
    assert md.returncode == 0 and md.stdout.startswith("# 2026年3月1日至3月31日矛盾纠纷多元化解工作报告")
    bad = _cli(db, "--period", "2026Q5")
    assert bad.returncode == 1 and "无法识别的统计期间“2026Q5”" in bad.stderr
    half = _cli(db, "--from", "2026-03-01")
    assert half.returncode == 1 and "须同时给出开始日期和结束日期" in half.stderr
