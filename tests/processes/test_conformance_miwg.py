"""The OMG BPMN MIWG reference models through the import path (engine.processes.deploy.check).

Each file is either compiled or refused with located, specific problems; never another exception.
"""

import pytest

from engine.core.errors import DefinitionRejected
from engine.processes.deploy import check
from tests.helpers.shared_dir import shared_dir

MIWG = shared_dir() / "conformance" / "miwg-reference"
FILES = sorted(p.name for p in MIWG.glob("*.bpmn"))

NOT_EXECUTABLE = "refused: no executable process (isExecutable is not true)"
# What each model is and why it is refused (A: simple diagrams, B: collaborations, C: real-world models).
EXPECTED = {
    "A.1.0.bpmn": NOT_EXECUTABLE,
    "A.2.0.bpmn": NOT_EXECUTABLE,
    "A.2.1.bpmn": NOT_EXECUTABLE,
    "A.3.0.bpmn": NOT_EXECUTABLE,
    "A.4.0.bpmn": NOT_EXECUTABLE,
    "A.4.1.bpmn": NOT_EXECUTABLE,
    "B.1.0.bpmn": "refused: unsupported element bpmn:dataStore",
    "B.2.0.bpmn": "refused: unsupported element bpmn:dataStore",
    # Camunda invoice: JUEL conditions ${...} and a service task
    "C.1.0.bpmn": "refused: unsupported element bpmn:serviceTask",
    "C.1.1.bpmn": "refused: condition does not compile: syntax error",
    "C.2.0.bpmn": NOT_EXECUTABLE,
    "C.3.0.bpmn": "refused: has no condition and is not the default flow",
    # no isExecutable attribute at all: ambiguous between BPMN (false) and SpiffWorkflow (true)
    "C.4.0.bpmn": "refused: process has no isExecutable attribute",
    "C.5.0.bpmn": "refused: process has no isExecutable attribute",
    "C.6.0.bpmn": "refused: process has no isExecutable attribute",
    "C.7.0.bpmn": "refused: process has no isExecutable attribute",
    # a tool extension element reuses the process id
    "C.8.0.bpmn": "refused: duplicate id 'VacationRequestProcess'",
    "C.8.1.bpmn": "refused: business rule task has no spiffworkflow:calledDecisionId",
    "C.9.0.bpmn": "refused: unsupported element bpmn:errorEventDefinition in bpmn:startEvent",
    "C.9.1.bpmn": "accepted",  # its timers are unquoted ISO 8601 (R6/P1D, P7D), as other tools write them
    "C.9.2.bpmn": "refused: call activity calls unknown process 'requestDocument_en'",
}


def _outcome(files: dict[str, bytes]):
    try:
        return "accepted", check(files)
    except DefinitionRejected as err:
        return "refused", err.problems


def test_every_reference_model_has_an_expected_outcome():
    assert len(FILES) >= 21, f"MIWG models missing from {MIWG}"
    assert set(FILES) == set(EXPECTED)


@pytest.mark.parametrize("name", FILES)
def test_reference_model(name):
    outcome, detail = _outcome({name: (MIWG / name).read_bytes()})
    expected = EXPECTED[name]
    if outcome == "accepted":
        assert expected == "accepted", f"{name} was accepted"
        return
    assert detail, "refused without a problem"
    for p in detail:
        assert p.message and (p.line or p.element), f"unlocated problem: {p!r}"
    assert expected.startswith("refused: "), [str(p) for p in detail]
    fragment = expected.removeprefix("refused: ")
    assert any(fragment in p.message for p in detail), [str(p) for p in detail]


def test_c91_compiles_end_to_end_with_its_timers_as_published():
    """C.9.1 as another tool wrote it (unquoted ISO timers) and with them quoted: the same runnable model."""
    data = (MIWG / "C.9.1.bpmn").read_bytes()
    assert b">R6/P1D<" in data and b">P7D<" in data
    outcome, detail = _outcome({"C.9.1.bpmn": data})
    assert outcome == "accepted", [str(p) for p in detail]
    assert [c.key for c in detail] == ["requestDocument_en"]
    quoted = data.replace(b">R6/P1D<", b'>"R6/P1D"<').replace(b">P7D<", b'>"P7D"<')
    outcome, again = _outcome({"C.9.1.bpmn": quoted})
    assert outcome == "accepted" and again[0].spec_json == detail[0].spec_json
