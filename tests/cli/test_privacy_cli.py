"""`tiaojie keys`, `tiaojie privacy access-log`, `tiaojie retention run` as an operator runs them."""

import json
import stat

from tests.helpers.process_driver import intake


def test_keys_status_rotate_retire(cli, deployed):
    cli("case", "start", "dispute_case", "--data", json.dumps(intake(), ensure_ascii=False), "--user", "cli")
    key_file = cli.tmp / "keys" / "data.keys"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    old = key_file.read_text().split(":")[0]
    status = cli("keys", "status").stdout
    assert f"{old} (current): 2 party rows" in status
    refused = cli("keys", "retire", old, ok=False)
    assert refused.returncode == 1 and "current key" in refused.stderr and "Traceback" not in refused.stderr
    rotated = cli("keys", "rotate").stdout
    assert "(new); 2 party rows re-encrypted" in rotated
    assert f"{old}: 0 party rows" in cli("keys", "status").stdout
    assert cli("keys", "retire", old).stdout.strip() == f"retired {old}"
    assert old not in key_file.read_text()
    unknown = cli("keys", "retire", "nokey", ok=False)
    assert unknown.returncode == 1 and "not configured" in unknown.stderr


def test_retention_dry_run_and_run_report_and_access_log(cli, deployed):
    case_id = int(cli("case", "start", "dispute_case", "--data", json.dumps(intake(), ensure_ascii=False),
                      "--user", "cli").stdout.split("\t")[0])
    empty = json.loads(cli("retention", "run", "--dry-run", "--json").stdout)
    assert empty["totals"]["cases"] == 0 and empty["periods"] == {"default": 10, "mediation": 1}
    # the case closed long ago (the CLI has no clock to move: the database's row is set back)
    import sqlite3
    con = sqlite3.connect(cli.tmp / "cli.sqlite")
    con.execute("UPDATE cases SET status = 'cancelled', completed_at = '2020-01-01 00:00:00.000000'")
    con.execute("INSERT INTO pii_access (at, actor, action, case_id, what, reason) VALUES "
                "('2026-12-05 08:00:00.000000', 'mediator1', 'view', ?, 'id_number 440304********1234', '案件详情页')",
                (case_id,))
    con.commit()
    con.close()
    dry = cli("retention", "run", "--dry-run").stdout
    assert dry.startswith("would anonymise 1 closed cases") and "mediation (1 y)" in dry
    report = cli.tmp / "report.json"
    done = cli("retention", "run", "--out", str(report)).stdout
    assert done.startswith("anonymised 1 closed cases") and "removed: 2 party rows" in done
    saved = json.loads(report.read_text())
    assert saved["dry_run"] is False and saved["cases"][0]["party_rows"] == 2
    assert "parties.*.name" in saved["cases"][0]["fields"]
    assert json.loads(cli("retention", "run", "--json").stdout)["totals"]["cases"] == 0
    log = cli("privacy", "access-log").stdout
    assert f"mediator1  view  case {case_id}  id_number 440304********1234  (案件详情页)" in log
    assert [e["actor"] for e in json.loads(cli("privacy", "access-log", "--json", "--case", str(case_id)).stdout)] \
        == ["mediator1"]
    assert json.loads(cli("privacy", "access-log", "--json", "--actor", "nobody").stdout) == []
