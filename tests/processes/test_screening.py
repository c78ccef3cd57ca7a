"""The screening table (诉访分离, screening.dmn) records the rule that matched; what the page says a route leads
to (read from the model before submitting) is what the engine then does, an override to 商事仲裁 included."""

import pytest

from engine import tasks
from engine.core.types import User
from tests.helpers.process_driver import GUIDANCE, AtTask, Check, assert_closed, drive, intake, review

KEY = "dispute_case"
LAWYER = User(0, "lawyer1", "lawyer", ["福田社区"])


def _trace(case) -> dict:
    return case.data["decision_trace"]["screening"]


@pytest.mark.parametrize(
    ("over", "rule", "row", "annotation", "route"),
    [
        ({}, "rule_10", 10, "其他民间纠纷", "people_mediation"),
        ({"request_kind": "legal_procedure", "dispute_type": "contract", "arbitration_clause": True},
         "rule_05", 5, "涉法涉诉·约定仲裁", "commercial_arbitration"),
        ({"dispute_type": "labour"}, "rule_08", 8, "劳动争议调解", "labour_mediation"),
        ({"dispute_type": "production_business", "arbitration_clause": True}, "rule_09", 9, "商事纠纷·约定仲裁",
         "commercial_arbitration"),
    ],
)
def test_the_matched_rule_is_recorded_when_the_table_runs(db, over, rule, row, annotation, route):
    case, _ = drive(db, KEY, [("intake", intake(**over))])
    trace = _trace(case)
    assert case.data["route"] == route
    assert trace["hit_policy"] == "FIRST" and len(trace["rules"]) == 1
    matched = trace["rules"][0]
    assert (matched["id"], matched["row"], matched["annotation"]) == (rule, row, annotation)
    assert trace["outputs"]["route"] == route and trace["outputs"]["route_reason"] == case.data["route_reason"]
    inputs = {i["expression"]: i for i in matched["inputs"]}
    assert list(inputs) == ["request_kind", "dispute_type", "arbitration_clause", "source"]
    data = intake(**over)
    for name, entry in inputs.items():  # each input carries the case's value and the rule's cell ("-" → None)
        assert entry["value"] == data[name]
    assert inputs["dispute_type"]["label"] == "纠纷类型"
    if rule == "rule_05":
        assert inputs["request_kind"]["entry"] == '"legal_procedure"'
        assert inputs["arbitration_clause"]["entry"] == "True" and inputs["dispute_type"]["entry"] is None


def _read_context(seen: dict) -> AtTask:
    """At the open lawyer_review: the screening context the task page gets, kept in ``seen``."""
    return AtTask("lawyer_review", lambda conn, task, _: seen.update(context=tasks.screening_context(conn, LAWYER, task.id)))


def _said(context: dict, route: str) -> list[str]:
    """The user tasks the page says open after submitting ``route`` (a called process: its first tasks)."""
    out = []
    for target in context["outcomes"][route]["targets"]:
        out += [t["element_id"] for t in target.get("tasks", [])] if target["kind"] == "call" else [target["element_id"]]
    return sorted(out)


def test_override_to_commercial_arbitration_on_an_orange_case_is_followed(db):
    """Orange risk, two people, not difficult: not a key case, so the override alone decides (引导函)."""
    seen = {}
    case, visited = drive(db, KEY, [
        ("intake", intake(risk_level="orange")),
        _read_context(seen),
        ("lawyer_review", review("commercial_arbitration", override=True)),
        Check(lambda c: seen.update(open=sorted(t.element_id for t in c.open_tasks))),
        ("issue_guidance_letter", GUIDANCE),
    ])
    context = seen["context"]
    assert context["suggested"] == "people_mediation" and context["field"] == "final_route"
    assert _said(context, "commercial_arbitration") == ["issue_guidance_letter"]
    assert seen["open"] == ["issue_guidance_letter"]  # the engine did what the page said
    [decision] = [d for d in context["outcomes"]["commercial_arbitration"]["decisions"] if d["gateway_id"] == "gw_route"]
    assert decision["to"] == "issue_guidance_letter" and decision["default"] is True
    assert visited == ["intake", "lawyer_review", "issue_guidance_letter"]
    assert_closed(case, "guided_commercial_arbitration")
    assert case.data["final_route"] == "commercial_arbitration" and case.data["key_case"] is False


def test_orange_group_case_overridden_to_arbitration_takes_both_the_leader_and_the_letter(db):
    """An orange six-person case is a key case (群体性): the page says before submitting that the leader takes
    charge in parallel with the 引导函, and the engine opens exactly those two; the override is not lost."""
    seen = {}
    case, _ = drive(db, KEY, [
        ("intake", intake(risk_level="orange", people_count=6)),
        _read_context(seen),
        ("lawyer_review", review("commercial_arbitration", override=True)),
        Check(lambda c: seen.update(open=sorted(t.element_id for t in c.open_tasks))),
        ("issue_guidance_letter", GUIDANCE),
    ])
    context = seen["context"]
    outcome = context["outcomes"]["commercial_arbitration"]
    assert _said(context, "commercial_arbitration") == ["issue_guidance_letter", "leader_take_charge"]
    assert seen["open"] == ["issue_guidance_letter", "leader_take_charge"]
    key = [d for d in outcome["decisions"] if d["gateway_id"] == "gw_key_case"][0]
    assert key["values"] == {"key_case": True} and key["to"] == "gw_leader_fork"
    assert context["facts"]["group_case"] is True and context["facts"]["risk_level"] == "orange"
    assert case.data["final_route"] == "commercial_arbitration"
    assert [t.element_id for t in case.open_tasks] == ["leader_take_charge"]  # the letter done, the leader's left


@pytest.mark.parametrize("route", ["people_mediation", "labour_mediation", "petition", "consultation", "litigation",
                                   "legal_aid"])
def test_every_route_goes_where_the_page_says(db, route):
    seen = {}
    drive(db, KEY, [
        ("intake", intake()),
        _read_context(seen),
        ("lawyer_review", review(route, override=route != "people_mediation")),
        Check(lambda c: seen.update(open=sorted(t.element_id for t in c.open_tasks))),
    ])
    assert _said(seen["context"], route) == seen["open"]
