"""Migration 0010: an existing database whose cases hold full ID numbers and phones in clear (case data,
task_completed events, the workflow state) is sealed: full values encrypted into case_parties, masked values and
party refs everywhere else; downgrade puts the full values back into the case data."""


from sqlalchemy import select, text

from engine import processes
from engine.cases.read import detail
from engine.cases.step import spec_loader
from engine.core import clock, datakeys
from engine.core.events import event
from engine.core.privacy import party_rows
from engine.core.types import User
from engine.spiff.runtime import Run
from engine.store import definitions as def_store
from engine.store.migrate import current, upgrade
from tests.helpers.privacy import RAW, everything_stored
from tests.helpers.process_driver import APPLICANT, bundle, intake

MEDIATOR = User(2, "m1", "mediator", ["福田社区"])




def legacy_case(conn) -> int:
    """A case as the code before 0010 stored it: the intake completed, its parties in clear everywhere."""
    definition = def_store.get(conn, "dispute_case", None)
    run = Run.start(definition.content_hash, spec_loader(conn, definition.id), intake())
    task = run.ready_user_tasks()[0]
    run.complete(task.id, intake())
    at = clock.now()
    case_id = conn.execute(text(
        "INSERT INTO cases (case_number, year, process_key, definition_id, status, revision, state, data, "
        "created_at, updated_at, community, repeat_petitioner, imported) VALUES ('旧〔2025〕0001号', 2025, "
        "'dispute_case', :d, 'active', 2, :state, :data, :at, :at, '福田社区', false, false) RETURNING id"),
        {"d": definition.id, "state": run.dump(), "data": __import__("json").dumps(run.data, ensure_ascii=False),
         "at": at}).scalar_one()
    done = event(case_id, at, "window1", "task_completed", task.id, element="intake", data=intake())
    conn.execute(text("INSERT INTO case_events (case_id, at, actor, kind, task_id, data) "
                      "VALUES (:c, :at, 'window1', 'task_completed', :t, :data)"),
                 {"c": case_id, "at": at, "t": task.id,
                  "data": __import__("json").dumps(done["data"], ensure_ascii=False)})
    for r in party_rows(run.data["parties"]):
        conn.execute(text("INSERT INTO case_parties (case_id, role, name, id_hash, id_masked, phone_hash, "
                          "phone_masked) VALUES (:case_id, :role, :name, :id_hash, :id_masked, :phone_hash, "
                          ":phone_masked)"), {**r, "case_id": case_id})
    return case_id


def test_upgrade_from_0008_seals_clear_values_and_downgrade_restores_the_case_data(empty_db):
    db = empty_db
    upgrade(db, "0008")
    with db.begin() as conn:
        processes.deploy(conn, bundle(), actor="test")
        case_id = legacy_case(conn)
    stored = everything_stored(db)
    assert all(raw in stored for raw in RAW)  # the old code's database: in clear
    upgrade(db, "head")
    assert current(db) != "0008"
    stored = everything_stored(db)
    for raw in RAW:
        assert raw not in stored, f"{raw} still in clear after the migration"
    with db.begin() as conn:
        data = conn.execute(text("SELECT data FROM cases WHERE id = :i"), {"i": case_id}).scalar_one()
        data = data if isinstance(data, dict) else __import__("json").loads(data)
        rows = conn.execute(text("SELECT party_ref, id_cipher, key_id, id_hash FROM case_parties "
                                 "WHERE case_id = :i ORDER BY id"), {"i": case_id}).all()
        page = detail(conn, MEDIATOR, case_id)
    assert [p["party_ref"] for p in data["parties"]] == [r.party_ref for r in rows]
    assert datakeys.decrypt(rows[0].id_cipher, rows[0].key_id) == APPLICANT["id_number"]
    assert page["parties"][0]["id_number"] == APPLICANT["id_number"]  # the full view works on migrated data
    # downgrade: the full values back in the case data, the new columns and tables gone
    from alembic import command

    from engine.store.migrate import config
    command.downgrade(config(db), "0008")
    with db.begin() as conn:
        data = conn.execute(text("SELECT data FROM cases WHERE id = :i"), {"i": case_id}).scalar_one()
        columns = [c for c in conn.execute(select(text("*")).select_from(text("case_parties"))).keys()]
    data = data if isinstance(data, dict) else __import__("json").loads(data)
    assert data["parties"][0]["id_number"] == APPLICANT["id_number"] and "party_ref" not in data["parties"][0]
    assert "id_cipher" not in columns
    upgrade(db, "head")  # and up again
    assert APPLICANT["id_number"] not in everything_stored(db)
