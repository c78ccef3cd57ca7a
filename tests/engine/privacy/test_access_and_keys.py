"""Who saw or searched a full ID number is recorded; data keys rotate and an old key retires only when unused."""

import pytest
from sqlalchemy import select

from engine import privacy
from engine.cases import register_case
from engine.cases.read import detail
from engine.core import datakeys
from engine.core.errors import Conflict, Forbidden, InvalidData, NotFound
from engine.core.types import User
from engine.store.tables import case_parties, pii_access
from tests.helpers.process_driver import APPLICANT, intake

WINDOW = User(1, "window1", "intake", ["福田社区"])
MEDIATOR = User(2, "m1", "mediator", ["福田社区"])
LEADER = User(3, "lead1", "leader", [])
OUTSIDER = User(4, "m2", "mediator", ["南山社区"])
pytestmark = pytest.mark.usefixtures("process_bundle")


def register(db, data=None, user=WINDOW):
    with db.begin() as conn:
        return register_case(conn, "dispute_case", data if data is not None else intake(), user=user).case


def access_rows(db) -> list:
    with db.begin() as conn:
        return list(conn.execute(select(pii_access).order_by(pii_access.c.id)))


def test_the_full_view_of_a_case_is_recorded_per_party_and_a_masked_view_is_not(db):
    case = register(db)
    with db.begin() as conn:
        masked = detail(conn, LEADER, case.id)
    assert masked["parties"][0]["id_number"] == "440304********1234" and masked["parties"][0]["masked"] is True
    assert access_rows(db) == []
    with db.begin() as conn:
        full = detail(conn, MEDIATOR, case.id)
    assert full["parties"][0]["id_number"] == APPLICANT["id_number"] and full["parties"][0]["masked"] is False
    rows = access_rows(db)
    assert [(r.actor, r.action, r.case_id) for r in rows] == [("m1", "view", case.id)] * 2
    assert rows[0].what == "id_number 440304********1234, phone 138****0001" and rows[0].reason
    assert APPLICANT["id_number"] not in " ".join(r.what for r in rows)


def test_a_search_by_full_id_number_is_scoped_needs_a_reason_and_is_recorded(db):
    case = register(db)
    with db.begin() as conn:
        found = privacy.lookup(conn, MEDIATOR, " " + APPLICANT["id_number"] + " ", "核实当事人身份 (verify identity)")
        outside = privacy.lookup(conn, OUTSIDER, APPLICANT["id_number"], "查询")
        nothing = privacy.lookup(conn, MEDIATOR, "110101200001011234", "查询")
    assert [(i["case_id"], i["party_name"], i["id_masked"]) for i in found["items"]] == \
        [(case.id, "张某", "440304********1234")]
    assert outside["items"] == [] and nothing["items"] == []
    rows = access_rows(db)
    assert [(r.actor, r.action, r.case_id, r.what) for r in rows] == [
        ("m1", "lookup", case.id, "id_number 440304********1234"), ("m2", "lookup", None, "id_number 440304********1234"),
        ("m1", "lookup", None, "id_number 110101********1234")]
    assert rows[0].reason == "核实当事人身份 (verify identity)"
    for number, reason, field in (("", "x", "id_number"), ("440304********1234", "x", "id_number"),
                                  (APPLICANT["id_number"], "  ", "reason"), (APPLICANT["id_number"], "x" * 501, "reason")):
        with pytest.raises(InvalidData) as err, db.begin() as conn:
            privacy.lookup(conn, MEDIATOR, number, reason)
        assert field in err.value.errors
    with pytest.raises(Forbidden), db.begin() as conn:
        privacy.lookup(conn, LEADER, APPLICANT["id_number"], "查询")
    assert len(access_rows(db)) == 3
    with db.begin() as conn:
        log = privacy.access_log(conn, actor="m2")
    assert [e["action"] for e in log] == ["lookup"]


def test_rotation_re_encrypts_and_an_old_key_retires_only_when_unused(db, key_file):
    case = register(db)
    with db.begin() as conn:
        first = privacy.keys.status(conn)
    old = first["current"]
    assert first["keys"] == [{"id": old, "current": True, "rows": 2}]
    with pytest.raises(Conflict, match="current key"), db.begin() as conn:
        privacy.keys.retire(conn, old)
    new = datakeys.add_key()  # a new current key: the stored values still use the old one
    with pytest.raises(Conflict, match="still encrypts 2 party rows"), db.begin() as conn:
        privacy.keys.retire(conn, old)
    assert old in key_file.read_text()
    with db.begin() as conn:
        rotated = privacy.keys.rotate(conn)  # yet another current key; every row re-encrypted under it
    newest = rotated["current"]
    assert rotated["reencrypted"] == 2 and newest not in (old, new)
    with db.begin() as conn:
        rows = list(conn.execute(select(case_parties).where(case_parties.c.case_id == case.id)))
        assert {r.key_id for r in rows} == {newest}
        assert sorted(datakeys.decrypt(r.id_cipher, r.key_id) for r in rows) == \
            sorted(["440304199001031234", "440304198805092345"])
        privacy.keys.retire(conn, old)
        privacy.keys.retire(conn, new)
        with pytest.raises(NotFound):
            privacy.keys.retire(conn, old)
        status = privacy.keys.status(conn)
    assert [k["id"] for k in status["keys"]] == [newest] and status["keys"][0]["rows"] == 2
    assert old not in key_file.read_text()
    with db.begin() as conn:
        assert detail(conn, MEDIATOR, case.id)["parties"][0]["id_number"] == APPLICANT["id_number"]
