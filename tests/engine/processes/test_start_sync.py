"""Starting the service never changes which version new cases run (``tiaojie demo`` / ``make run``).

A supervisor publishes people_mediation v2 from the editor; the files in bpmn/ still hold v1. A start
must keep v2 live and say that the files are older; an edit on disk that was never deployed is
reported and not deployed either. Only a process with no version at all is deployed at start.
"""

from pathlib import Path

from cli.demo import load_demo
from engine import processes
from engine.processes.deploy import deploy, load_dir
from engine.store import definitions as store
from tests.helpers.paths import BPMN_DIR

OLD, NEW = b"add_days_from(agreement_effective_on, 30)", b"add_days_from(agreement_effective_on, 20)"


def _people_mediation_bundle(timer: bytes) -> dict[str, bytes]:
    """What the editor publishes for people_mediation: its file and every form, with the timer changed."""
    keep = {name: data for name, data in load_dir(BPMN_DIR).items()
            if name.endswith(".json") or name == "people_mediation.bpmn"}
    keep["people_mediation.bpmn"] = keep["people_mediation.bpmn"].replace(OLD, timer)
    return keep


def _live(db, key: str) -> int:
    with db.begin() as conn:
        return store.get(conn, key).version


def _copy_bpmn(tmp_path: Path, replace: tuple[bytes, bytes] | None = None) -> Path:
    out = tmp_path / "bpmn"
    out.mkdir()
    for name, data in load_dir(BPMN_DIR).items():
        if replace and name == "people_mediation.bpmn":
            data = data.replace(*replace)
        (out / name).write_bytes(data)
    return out


def test_a_fresh_database_gets_every_process_and_a_second_start_changes_nothing(db):
    with db.begin() as conn:
        first = processes.sync(conn, load_dir(BPMN_DIR), actor="start")
    assert first and all(s.state == "new" and s.live.version == 1 for s in first), first
    with db.begin() as conn:
        again = processes.sync(conn, load_dir(BPMN_DIR), actor="start")
    assert [(s.key, s.state, s.live.version) for s in again] == [(s.key, "live", 1) for s in first]
    assert "live, same as the files" in again[0].line()


def test_a_start_after_a_publish_keeps_the_published_version_live_and_says_the_files_are_older(db, tmp_path):
    with db.begin() as conn:
        processes.sync(conn, load_dir(BPMN_DIR), actor="start")
        deploy(conn, _people_mediation_bundle(NEW), actor="super1")  # the editor's publish
    assert _live(db, "people_mediation") == 2
    lines = load_demo(db, BPMN_DIR)
    assert _live(db, "people_mediation") == 2 and _live(db, "dispute_case") == 2
    line = next(x for x in lines if x.startswith("process people_mediation "))
    assert "v2 is live" in line and "by super1" in line and "older v1" in line and "Nothing deployed" in line, line
    assert "unchanged" not in "\n".join(lines)


def test_an_undeployed_edit_on_disk_is_reported_not_deployed(db, tmp_path):
    with db.begin() as conn:
        processes.sync(conn, load_dir(BPMN_DIR), actor="start")
    edited = _copy_bpmn(tmp_path, (OLD, b"add_days_from(agreement_effective_on, 25)"))
    with db.begin() as conn:
        states = {s.key: s for s in processes.sync(conn, load_dir(edited), actor="start")}
        versions = [d.version for d in store.list_versions(conn, "people_mediation")]
    assert states["people_mediation"].state == "differs" and states["people_mediation"].disk_version is None
    assert "match no deployed version" in states["people_mediation"].line()
    assert versions == [1]  # nothing deployed
    assert _live(db, "people_mediation") == 1


def test_a_new_file_on_disk_is_deployed_alone(db, tmp_path):
    files = load_dir(BPMN_DIR)
    with db.begin() as conn:
        processes.sync(conn, {n: d for n, d in files.items() if n != "dispute_case.bpmn"}, actor="start")
        assert store.get(conn, "dispute_case") is None
        states = {s.key: s.state for s in processes.sync(conn, files, actor="start")}
    assert states["dispute_case"] == "new"
    assert {k for k, v in states.items() if v != "live"} == {"dispute_case"}
