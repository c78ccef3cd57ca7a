"""Ledger code tables and the dry-run report over HTTP: a file written in the offices' own wording imports, each
unknown wording is listed once with its rows and nearest terms, the tables are edited as versions (who, when,
history, stale edits refused), intake reads them too, and any period exports."""

import pytest
from sqlalchemy import select

from engine.store.tables import cases
from tests.helpers.api import client_for
from tests.helpers.ledger import read_xlsx, row, write_csv, write_xlsx
from tests.helpers.process_driver import intake

IMPORT, EXPORT, CODES = "/api/v1/ledger/import", "/api/v1/ledger/export", "/api/v1/ledger/codes"


def _upload(path):
    return {"file": (path.name, path.read_bytes(), "application/octet-stream")}


def _stored(db) -> dict:
    with db.begin() as c:
        return {r.case_number: (r.dispute_type, r.channel, r.source, r.outcome)
                for r in c.execute(select(cases.c.case_number, cases.c.dispute_type, cases.c.channel,
                                          cases.c.source, cases.c.outcome))}


def test_a_file_in_the_offices_wording_imports_as_the_tables_terms(db, sup, tmp_path):
    rows = [row("W-1", 纠纷类型="婚姻纠纷", 来源渠道="12345", 案件来源="派出所移交"),
            row("W-2", 纠纷类型="劳资纠纷", 处理结果="调解失败"),
            row("W-3", 纠纷类型="相邻关系", 来源渠道="窗口", 处理结果="撤诉"),
            row("W-4", 纠纷类型=" 婚恋 ")]
    r = sup.post(IMPORT, files=_upload(write_xlsx(tmp_path / "口径不同.xlsx", rows)))
    assert r.status_code == 200, r.text
    assert (r.json()["imported"], r.json()["unknown_terms"]) == (4, [])
    assert _stored(db) == {"W-1": ("婚姻家庭", "12345热线", "公安移交", "调解成功"),
                           "W-2": ("劳动争议", "综合服务大厅", "当事人申请", "调解不成"),
                           "W-3": ("邻里", "综合服务大厅", "当事人申请", "撤回"),
                           "W-4": ("婚姻家庭", "综合服务大厅", "当事人申请", "调解成功")}


def test_each_unknown_wording_is_listed_once_with_its_rows_and_nearest_terms(db, sup, tmp_path):
    rows = [row("D-1", 纠纷类型="婚烟家庭"), row("D-2", 纠纷类型="宠物纠纷"), row("D-3", 纠纷类型="婚烟家庭"),
            row("D-4", 纠纷类型="宠物纠纷", 来源渠道="居委会转来"), row("D-5", 纠纷类型="宠物纠纷"),
            row("D-6", 处理结果="调解成"), row("D-7")]
    r = sup.post(IMPORT, params={"dry_run": "true"}, files=_upload(write_csv(tmp_path / "脏.csv", rows)))
    assert r.status_code == 422, r.text
    body = r.json()
    assert {(p["row"], p["column"]) for p in body["problems"]} == {(2, "纠纷类型"), (3, "纠纷类型"), (4, "纠纷类型"),
                                                                   (5, "纠纷类型"), (6, "纠纷类型"), (7, "处理结果")}
    terms = {(u["column"], u["term"]): u for u in body["unknown_terms"]}
    assert set(terms) == {("纠纷类型", "婚烟家庭"), ("纠纷类型", "宠物纠纷"), ("来源渠道", "居委会转来"),
                          ("处理结果", "调解成")}
    assert (terms["纠纷类型", "婚烟家庭"]["count"], terms["纠纷类型", "婚烟家庭"]["rows"]) == (2, [2, 4])
    assert terms["纠纷类型", "婚烟家庭"]["nearest"][0] == "婚姻家庭"
    assert terms["纠纷类型", "宠物纠纷"]["count"] == 3 and terms["纠纷类型", "宠物纠纷"]["kind"] == "dispute_type"
    assert terms["处理结果", "调解成"]["nearest"][0] == "调解成功"
    channel = terms["来源渠道", "居委会转来"]
    assert (channel["blocking"], channel["count"], channel["kind"]) == (False, 1, "channel")
    assert _stored(db) == {}


def test_a_wording_added_as_a_synonym_makes_the_file_import_and_the_edit_is_a_version(db, app, sup, tmp_path):
    path = write_csv(tmp_path / "l.csv", [row("S-1", 纠纷类型="宠物纠纷"), row("S-2", 纠纷类型="宠物伤人")])
    assert sup.post(IMPORT, files=_upload(path)).status_code == 422
    added = sup.post(f"{CODES}/dispute_type/synonyms", json={"term": "损害赔偿", "synonym": "宠物纠纷"})
    assert added.status_code == 201, added.text
    assert (added.json()["version"], added.json()["changed_by"]) == (1, "super1")
    assert "宠物纠纷" in added.json()["synonyms"] and "人身损害" in added.json()["synonyms"]
    entry = added.json()
    saved = client_for(app, "admin1").post(f"{CODES}/dispute_type", json={
        "term": "损害赔偿", "synonyms": [*entry["synonyms"], "宠物伤人"], "version": 1, "note": "物业办反映"})
    assert saved.status_code == 201, saved.text
    assert saved.json()["version"] == 2
    stale = sup.post(f"{CODES}/dispute_type", json={"term": "损害赔偿", "synonyms": [], "version": 1})
    assert stale.status_code == 409 and stale.json()["error"] == "conflict"
    assert sup.post(IMPORT, files=_upload(path)).json()["imported"] == 2
    assert {v[0] for v in _stored(db).values()} == {"损害赔偿"}
    history = sup.get(f"{CODES}/dispute_type/history", params={"term": "损害赔偿"}).json()["versions"]
    assert [(v["version"], v["changed_by"]) for v in history] == [(2, "admin1"), (1, "super1"), (0, None)]
    assert history[0]["note"] == "物业办反映" and "宠物纠纷" not in history[2]["synonyms"]
    tables = {t["kind"]: t for t in sup.get(CODES).json()["tables"]}
    assert tables["dispute_type"]["column"] == "纠纷类型"
    current = next(e for e in tables["dispute_type"]["entries"] if e["term"] == "损害赔偿")
    assert current["version"] == 2 and "宠物伤人" in current["synonyms"]


def test_a_wording_of_another_entry_is_refused_in_the_users_language(db, app, sup):
    r = sup.post(f"{CODES}/dispute_type", json={"term": "邻里", "synonyms": ["婚恋"], "version": 0})
    assert r.status_code == 422
    assert r.json()["fields"] == {"synonyms.0": "“婚恋”已是“婚姻家庭”的写法"}
    en = client_for(app, "super1", lang="en").post(f"{CODES}/dispute_type", json={"term": "邻里", "version": 0})
    assert en.status_code == 201  # version 0 is current: no synonyms now
    again = client_for(app, "super1", lang="en").post(f"{CODES}/dispute_type", json={"term": "邻里"})
    assert again.status_code == 422 and again.json()["fields"] == {"term": "the table already has this term"}
    new = sup.post(f"{CODES}/channel", json={"term": "居委会转办", "synonyms": ["居委会转来", "居委会"]})
    assert new.status_code == 201 and (new.json()["version"], new.json()["code"]) == (1, None)
    assert sup.post(f"{CODES}/outcome/synonyms", json={"term": "没有这个", "synonym": "x"}).status_code == 404
    assert sup.post(f"{CODES}/bogus", json={"term": "x"}).status_code == 422


def test_roles_of_the_code_tables(app):
    for user in ("mediator1", "window1", "lawyer1"):
        c = client_for(app, user)
        assert c.get(CODES).status_code == 403
        assert c.get(f"{CODES}/outcome/history", params={"term": "撤回"}).status_code == 403
        assert c.post(f"{CODES}/outcome/synonyms", json={"term": "撤回", "synonym": "撤案"}).status_code == 403
    leader = client_for(app, "leader1")
    assert leader.get(CODES).status_code == 200
    assert leader.get(f"{CODES}/outcome/history", params={"term": "撤回"}).status_code == 200
    assert leader.post(f"{CODES}/outcome/synonyms", json={"term": "撤回", "synonym": "撤案"}).status_code == 403
    assert leader.post(f"{CODES}/outcome", json={"term": "撤回", "version": 0}).status_code == 403
    assert client_for(app).get(CODES).status_code == 401
    admin = client_for(app, "admin1")
    assert admin.post(f"{CODES}/outcome/synonyms", json={"term": "撤回", "synonym": "撤案"}).status_code == 201


def test_any_period_exports(db, app, sup, tmp_path):
    rows = [row("P-1", "2025-01-10"), row("P-2", "2025-03-31"), row("P-3", "2025-04-01"), row("P-4", "2024-12-31")]
    assert sup.post(IMPORT, files=_upload(write_csv(tmp_path / "l.csv", rows))).status_code == 200
    leader = client_for(app, "leader1")
    r = leader.get(EXPORT, params={"from": "2025-02-01", "to": "2025-04-01"})
    assert r.status_code == 200, r.text
    assert 'filename="ledger-20250201-20250401.xlsx"' in r.headers["content-disposition"]
    out = tmp_path / "p.xlsx"
    out.write_bytes(r.content)
    assert [x[0] for x in read_xlsx(out)[1:]] == ["P-2", "P-3"]
    quarter = leader.get(EXPORT, params={"period": "2025Q1", "format": "csv"})
    assert [line.split(",")[0] for line in quarter.content.decode("utf-8-sig").splitlines()[1:]] == ["P-1", "P-2"]
    assert leader.get(EXPORT).status_code == 422
    assert leader.get(EXPORT, params={"year": 2025, "from": "2025-01-01", "to": "2025-02-01"}).status_code == 422
    half = leader.get(EXPORT, params={"from": "2025-01-01"})
    assert half.status_code == 422 and "to" in half.json()["fields"]


@pytest.mark.process_set
def test_intake_reads_a_typed_dispute_type_and_channel_through_the_tables(db, app):
    window = client_for(app, "window1")
    r = window.post("/api/v1/cases", json={"data": intake(dispute_type="婚姻纠纷", channel="12345")})
    assert r.status_code == 201, r.text
    with db.begin() as c:
        stored = c.execute(select(cases.c.dispute_type, cases.c.channel).where(cases.c.id == r.json()["id"])).one()
    assert tuple(stored) == ("marriage_family", "hotline_12345")
    unknown = window.post("/api/v1/cases", json={"data": intake(dispute_type="宠物纠纷")})
    assert unknown.status_code == 422 and "dispute_type" in unknown.json()["fields"]


def test_the_cli_exports_a_period_and_groups_unknown_wordings(db, tmp_path):
    import os
    import subprocess
    import sys

    from engine.ledger import import_file
    from tests.helpers.paths import ROOT

    with db.begin() as c:
        assert import_file(c, write_csv(tmp_path / "l.csv", [row("Q-1", "2025-02-01"), row("Q-2", "2025-05-01")])).ok
    env = {**os.environ, "TIAOJIE_DATABASE_URL": db.url}
    out = tmp_path / "q1.csv"
    proc = subprocess.run([sys.executable, "-m", "cli.main", "ledger", "export", str(out), "--period", "2025Q1"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert [line.split(",")[0] for line in out.read_text(encoding="utf-8-sig").splitlines()[1:]] == ["Q-1"]
    dirty = write_csv(tmp_path / "d.csv", [row("X-1", 纠纷类型="婚烟家庭"), row("X-2", 纠纷类型="婚烟家庭")])
    proc = subprocess.run([sys.executable, "-m", "cli.main", "ledger", "import", str(dirty), "--dry-run"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert "error: unknown 纠纷类型 '婚烟家庭' in 2 row(s) (2, 3); nearest: 婚姻家庭" in proc.stderr
