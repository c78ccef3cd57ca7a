"""Personal data at rest (issue 14, finding 3): the intake's ID numbers and phones are nowhere in clear.

Case data, events and the workflow state keep a ``party_ref`` and masked values; the full values live only in
``case_parties``, AES-256-GCM under a data key kept outside the database.
"""

import base64
import stat

import pytest
from sqlalchemy import select, text

from engine.cases import register_case, service
from engine.cases.read import detail
from engine.core import datakeys
from engine.core.errors import InvalidData
from engine.core.settings import get_settings
from engine.core.types import User
from engine.privacy import DataKeyMissing
from engine.store.tables import case_parties
from tests.helpers.privacy import RAW, everything_stored
from tests.helpers.process_driver import APPLICANT, RESPONDENT, intake

WINDOW = User(1, "window1", "intake", ["福田社区"])
MEDIATOR = User(2, "m1", "mediator", ["福田社区"])
pytestmark = pytest.mark.usefixtures("process_bundle")


def register(db, data=None, user=WINDOW, **kw):
    with db.begin() as conn:
        return register_case(conn, "dispute_case", data if data is not None else intake(), user=user, **kw)




def test_intake_stores_no_full_id_number_or_phone_anywhere(db):
    case = register(db).case  # the window's intake: the case starts and its intake task is completed
    assert [t.group for t in case.open_tasks] == ["lawyer"]
    stored = everything_stored(db)
    for raw in RAW:
        assert raw not in stored, f"{raw} stored in clear"
    with db.begin() as conn:
        state = conn.execute(text("SELECT state FROM cases WHERE id = :i"), {"i": case.id}).scalar_one()
        kinds = [r.kind for r in conn.execute(text("SELECT kind FROM case_events WHERE case_id = :i"), {"i": case.id})]
    assert "task_completed" in kinds and "440304********1234" in state and "138****0001" in state
    parties = case.data["parties"]
    assert [p["id_number"] for p in parties] == ["440304********1234", "440304********2345"]
    assert all(p["party_ref"] for p in parties)


def test_full_values_are_encrypted_at_rest_and_decrypt_only_with_their_key(db, key_file, monkeypatch):
    case = register(db).case
    with db.begin() as conn:
        rows = {r.name: r for r in conn.execute(select(case_parties).where(case_parties.c.case_id == case.id))}
    row = rows["张某"]
    assert row.id_masked == "440304********1234" and row.id_hash and row.party_ref
    assert APPLICANT["id_number"] not in row.id_cipher and len(base64.b64decode(row.id_cipher)) == 12 + 18 + 16
    assert datakeys.decrypt(row.id_cipher, row.key_id) == APPLICANT["id_number"]
    assert datakeys.decrypt(row.phone_cipher, row.key_id) == APPLICANT["phone"]
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600 and row.key_id in key_file.read_text()
    # the roles that work with the parties see the full values on the case page
    with db.begin() as conn:
        page = detail(conn, MEDIATOR, case.id)
    assert [p["id_number"] for p in page["parties"]] == [APPLICANT["id_number"], RESPONDENT["id_number"]]
    # another key under the same id does not decrypt it: an error, never a wrong value
    monkeypatch.setenv("TIAOJIE_DATA_KEYS", f"{row.key_id}:{base64.b64encode(b'x' * 32).decode()}")
    get_settings.cache_clear()
    with pytest.raises(DataKeyMissing, match="does not decrypt"), db.begin() as conn:
        detail(conn, MEDIATOR, case.id)
    monkeypatch.setenv("TIAOJIE_DATA_KEYS", f"other:{base64.b64encode(b'y' * 32).decode()}")
    get_settings.cache_clear()
    with pytest.raises(DataKeyMissing, match=f"data key {row.key_id} is missing"), db.begin() as conn:
        detail(conn, MEDIATOR, case.id)
    monkeypatch.setenv("TIAOJIE_DATA_KEYS", "short:YWJj")
    get_settings.cache_clear()
    with pytest.raises(DataKeyMissing, match="not a 32-byte"), db.begin() as conn:
        detail(conn, MEDIATOR, case.id)


def test_a_form_sent_back_with_masked_values_keeps_the_stored_ones(db):
    """An operator's registration leaves the intake open with the data sealed; the window completes it with the
    masked values it was shown (and the refs): the stored full values stay, no masked value is taken as one."""
    case = register(db, user=None, actor="cli").case
    intake_task = case.open_tasks[0]
    with db.begin() as conn:
        before = {r.party_ref: (r.id_hash, r.phone_hash) for r in conn.execute(select(case_parties))}
    shown = case.data["parties"]
    assert shown[0]["id_number"] == "440304********1234"
    bad = [{**shown[0], "party_ref": "pnotaref"}, shown[1]]
    with pytest.raises(InvalidData) as err, db.begin() as conn:
        service.complete_task(conn, intake_task.id, intake(parties=bad), actor="window1")
    assert "parties.0.id_number" in err.value.errors
    with db.begin() as conn:
        done = service.complete_task(conn, intake_task.id, intake(parties=shown), actor="window1")
    assert [t.group for t in done.open_tasks] == ["lawyer"]
    with db.begin() as conn:
        after = {r.party_ref: (r.id_hash, r.phone_hash) for r in conn.execute(select(case_parties))}
        page = detail(conn, MEDIATOR, case.id)
    assert after == before
    assert page["parties"][0]["id_number"] == APPLICANT["id_number"]
    # the same parties again: recognised as the open matter by their hashes (repeat visit)
    assert register(db).repeat_visit is True
