"""The 决策表 editor's engine side: the screening table listed, tried on sample input, checked, published as a new
version of dispute_case (new cases follow the edited rule, running ones keep theirs), versions and the cell diff."""

import pytest

from engine import processes
from engine.cases import service
from engine.core.errors import DecisionFailed, DefinitionRejected, NotFound
from tests.helpers.process_driver import intake

ID = "screening_route"
OLD_CELL = '<outputEntry id="rule_08_out_route"><text>"labour_mediation"</text></outputEntry>'
NEW_CELL = '<outputEntry id="rule_08_out_route"><text>"people_mediation"</text></outputEntry>'


def _xml(db) -> str:
    with db.begin() as conn:
        return processes.get_decision(conn, ID)["xml"]


def _screened_route(db, **facts) -> str:
    with db.begin() as conn:
        case = service.start_case(conn, "dispute_case", {}, actor="test")
        [task] = case.open_tasks
        case = service.complete_task(conn, task.id, data=intake(**facts), actor="test")
        return case.data["route"]


def test_the_screening_table_is_listed_with_the_process_that_uses_it(deployed):
    with deployed.begin() as conn:
        [row] = processes.list_decisions(conn)
    assert row["id"] == ID and row["name"] == "诉访分离甄别分流" and row["file"] == "screening.dmn"
    assert (row["hit_policy"], row["inputs"], row["outputs"], row["rules"]) == ("FIRST", 4, 2, 10)
    assert [p["key"] for p in row["processes"]] == ["dispute_case"]


def test_the_editor_gets_the_file_and_the_inputs_with_their_form_choices(deployed):
    with deployed.begin() as conn:
        d = processes.get_decision(conn, ID)
    assert d["xml"].startswith("<?xml") or "<definitions" in d["xml"]
    fields = {f["name"]: f for f in d["fields"]}
    assert list(fields) == ["request_kind", "dispute_type", "arbitration_clause", "source"]
    assert fields["arbitration_clause"]["type"] == "boolean" and fields["arbitration_clause"]["label"] == "约定仲裁条款"
    assert {"value": "labour", "zh": "劳动争议", "en": "Labour dispute"} in fields["dispute_type"]["choices"]
    assert d["values"]["labour_mediation"][0].startswith("劳动争议调解")
    with deployed.begin() as conn, pytest.raises(NotFound):
        processes.get_decision(conn, "no_such_table")


def test_an_edited_table_is_tried_on_sample_input_before_it_is_published(deployed):
    original = _xml(deployed)
    xml = original.replace(OLD_CELL, NEW_CELL)
    sample = {"request_kind": "mediation", "dispute_type": "labour", "arbitration_clause": False,
              "source": "party_application"}
    with deployed.begin() as conn:
        before = processes.try_decision(conn, ID, original, sample)
        after = processes.try_decision(conn, ID, xml, sample)
        consult = processes.try_decision(conn, ID, xml, {"request_kind": "consultation"})  # the rest left empty
    assert before["matched"] == [{"id": "rule_08", "row": 8, "annotation": "劳动争议调解"}]
    assert before["outputs"]["route"] == "labour_mediation"
    assert after["outputs"] == {"route": "people_mediation", "route_reason": "劳动争议,由和谐劳动关系综合服务中心调解"}
    assert consult["matched"][0]["row"] == 1 and consult["outputs"]["route"] == "consultation"
    assert _screened_route(deployed, dispute_type="labour") == "labour_mediation"  # trying publishes nothing


def test_a_cell_that_fails_on_the_input_says_why(deployed):
    xml = _xml(deployed).replace('<text>"consultation"</text></inputEntry>', "<text>? > 3</text></inputEntry>", 1)
    with deployed.begin() as conn, pytest.raises(DecisionFailed) as err:
        processes.try_decision(conn, ID, xml, {"request_kind": "mediation"})
    assert "row 1" in str(err.value) or "'>'" in str(err.value)


def test_a_broken_table_is_refused_by_the_engine_with_located_problems(deployed):
    original = _xml(deployed)
    broken = original.replace("<text>True</text>", "<text>True ==</text>", 1)
    renamed = original.replace('decision id="screening_route"', 'decision id="other_route"')
    with deployed.begin() as conn:
        with pytest.raises(DefinitionRejected) as err:
            processes.check_decision(conn, ID, broken)
        assert err.value.problems[0].file == "screening.dmn" and "does not compile" in err.value.problems[0].message
        with pytest.raises(DefinitionRejected) as err:
            processes.publish_decision(conn, ID, renamed, "super1")
        assert "unknown decision 'screening_route'" in str(err.value)
        assert processes.check_decision(conn, ID, original)["ok"] is True


def test_publishing_makes_new_cases_follow_the_edited_rule(deployed):
    xml = _xml(deployed).replace(OLD_CELL, NEW_CELL)
    with deployed.begin() as conn:
        case = service.start_case(conn, "dispute_case", {}, actor="test")  # running before the publish
    with deployed.begin() as conn:
        out = processes.publish_decision(conn, ID, xml, "super1")
    assert [(d.key, d.version, d.is_new) for d in out if d.is_new] == [("dispute_case", 2, True)]
    assert _screened_route(deployed, dispute_type="labour") == "people_mediation"
    with deployed.begin() as conn:
        [task] = service.get_case(conn, case.id).open_tasks
        old = service.complete_task(conn, task.id, data=intake(dispute_type="labour"), actor="test")
    assert old.data["route"] == "labour_mediation"  # a running case keeps its version's table
    with deployed.begin() as conn:
        again = processes.publish_decision(conn, ID, xml, "super1")
        versions = processes.decision_versions(conn, ID)
        diff = processes.decision_diff(conn, ID, 1, 2)
    assert not any(d.is_new for d in again)  # the same table again: nothing new
    assert [v["version"] for v in versions["versions"]] == [1, 2]
    assert versions["versions"][1]["created_by"] == "super1"
    [rule] = diff["rules_changed"]
    assert (rule["id"], rule["row"], rule["annotation"]) == ("rule_08", 8, "劳动争议调解")
    assert rule["cells"] == [{"column": "建议分流", "kind": "output", "old": '"labour_mediation"',
                              "new": '"people_mediation"'}]
    assert diff["rules_added"] == diff["rules_removed"] == [] and diff["hit_policy"] is None
