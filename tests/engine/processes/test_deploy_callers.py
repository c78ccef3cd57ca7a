"""Publishing a called process alone gives its callers a new version with it (new cases run it)."""

from engine import processes
from engine.cases import service
from engine.processes.deploy import deploy, load_dir
from engine.store import definitions as store
from tests.helpers.paths import BPMN_DIR

OLD, NEW = b"add_days_from(agreement_effective_on, 30)", b"add_days_from(agreement_effective_on, 20)"


def _versions(db, key: str) -> list[int]:
    with db.begin() as conn:
        return [d.version for d in store.list_versions(conn, key)]


def _people_mediation_bundle(timer: bytes) -> dict[str, bytes]:
    """What the editor publishes for people_mediation: its file, the files it calls, every form."""
    files = load_dir(BPMN_DIR)
    keep = {name: data for name, data in files.items()
            if name.endswith(".json") or name in ("people_mediation.bpmn",)}
    keep["people_mediation.bpmn"] = keep["people_mediation.bpmn"].replace(OLD, timer)
    return keep


def test_a_caller_gets_a_new_version_with_the_published_callee(db):
    with db.begin() as conn:
        processes.deploy(conn, load_dir(BPMN_DIR), actor="test")
    assert OLD in load_dir(BPMN_DIR)["people_mediation.bpmn"]
    with db.begin() as conn:
        out = deploy(conn, _people_mediation_bundle(NEW), actor="super1")
    assert {(d.key, d.version, d.is_new) for d in out} == {("people_mediation", 2, True), ("dispute_case", 2, True)}
    with db.begin() as conn:
        caller = store.get(conn, "dispute_case")
        sources = store.sources(conn, caller.id)
        old_caller = store.get(conn, "dispute_case", 1)
        old_sources = store.sources(conn, old_caller.id)
    assert caller.created_by == "super1"
    assert NEW.decode() in sources["people_mediation.bpmn"] and OLD.decode() in old_sources["people_mediation.bpmn"]
    assert sources["dispute_case.bpmn"] == old_sources["dispute_case.bpmn"]  # the caller's own model is unchanged
    # processes that do not call it are left alone
    assert _versions(db, "labour_mediation") == [1] and _versions(db, "petition_handling") == [1]

    # a new case starts on the new caller version, which embeds the published callee
    with db.begin() as conn:
        case = service.start_case(conn, "dispute_case", {}, actor="window1")
        assert case.definition_version == 2


def test_publishing_the_same_content_again_changes_no_version(db):
    with db.begin() as conn:
        processes.deploy(conn, load_dir(BPMN_DIR), actor="test")
        deploy(conn, _people_mediation_bundle(NEW), actor="super1")
    with db.begin() as conn:
        again = deploy(conn, _people_mediation_bundle(NEW), actor="super1")
    assert [(d.key, d.is_new) for d in again] == [("people_mediation", False)]
    assert _versions(db, "dispute_case") == [1, 2] and _versions(db, "people_mediation") == [1, 2]


def test_deploying_the_whole_set_does_not_make_extra_versions(db):
    with db.begin() as conn:
        first = processes.deploy(conn, load_dir(BPMN_DIR), actor="test")
    with db.begin() as conn:
        files = load_dir(BPMN_DIR)
        files["people_mediation.bpmn"] = files["people_mediation.bpmn"].replace(OLD, NEW)
        second = processes.deploy(conn, files, actor="test")
    assert len(first) == len(second)  # one row per process of the set, no caller deployed twice
    assert {d.key for d in second if d.is_new} == {"people_mediation", "dispute_case"}
    assert _versions(db, "dispute_case") == [1, 2]
