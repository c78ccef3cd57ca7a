"""Record which rule of a decision table (DMN) decided, at the moment it decided.

SpiffWorkflow's DMN engine merges the outputs of the matched rule into the task data and forgets
the rule. ``record_decisions`` swaps in an engine that also writes, under ``decision_trace`` →
the business rule task's element id, the decision table, the matched rule (id, row number, its
annotation) and each input (label, expression, the value it had, the rule's cell, "-" as None),
so a page can say why the table suggested what it did. Inputs are evaluated in the sandbox, as
Spiff evaluates them; values are kept only when JSON-plain (else their text).
"""

from SpiffWorkflow.dmn.engine.DMNEngine import DMNEngine

TRACE_KEY = "decision_trace"
_PLAIN = (str, int, float, bool, type(None))


class RecordingDMNEngine(DMNEngine):
    """A DMN engine whose result carries the trace of the rule(s) that matched."""

    def result(self, task):
        table = self.decision_table
        matched = self.decide(task)
        result: dict = {}
        if table.hit_policy == "COLLECT":  # as DMNEngine.result: every output a list over the rules
            for rule in matched:
                for key, value in rule.output_as_dict(task).items():
                    result.setdefault(key, []).append(value)
        elif matched:
            matched = matched[:1]
            result = matched[0].output_as_dict(task)
        trace = {
            "table_id": table.id,
            "table_name": table.name or None,
            "task_name": getattr(task.task_spec, "bpmn_name", None),
            "hit_policy": table.hit_policy,
            "rules": [_rule(rule, task) for rule in matched],
            "outputs": {k: v for k, v in result.items() if isinstance(v, _PLAIN)},
            "output_labels": {o.name: o.label for o in table.outputs if o.name},
        }
        element = getattr(task.task_spec, "bpmn_id", None) or task.task_spec.name
        return {**result, TRACE_KEY: {element: trace}}


def _value(task, expression: str | None):
    if not expression:
        return None
    if expression.isidentifier():
        value = task.data.get(expression)
    else:
        try:
            value = task.workflow.script_engine.evaluate(task, expression)
        except Exception:  # a trace never fails the step that the table itself passed
            return None
    return value if isinstance(value, _PLAIN) else str(value)


def _rule(rule, task) -> dict:
    inputs = []
    for entry in rule.inputEntries:
        cell = next((lhs for lhs in entry.lhs if lhs is not None), None)
        inputs.append({"id": entry.input.id, "label": entry.input.label, "expression": entry.input.expression,
                       "value": _value(task, entry.input.expression), "entry": cell})
    return {"id": rule.id, "row": rule.row_number, "annotation": rule.description or None, "inputs": inputs}


def record_decisions(*specs) -> None:
    """Give every business rule task of ``specs`` (process specs) the recording engine, in place."""
    for spec in specs:
        for ts in spec.task_specs.values():
            engine = getattr(ts, "dmnEngine", None)
            if engine is not None and not isinstance(engine, RecordingDMNEngine):
                ts.dmnEngine = RecordingDMNEngine(engine.decision_table)


class _TryTask:
    """What a DMN engine reads of a task, for a table tried on sample input outside any workflow."""

    class _Spec:
        bpmn_id = name = "try"
        bpmn_name = None

    def __init__(self, data: dict):
        from engine.spiff.scripting import script_engine

        self.data = dict(data)
        self.task_spec = self._Spec()
        # what Spiff's error reports read (spec.file, top_workflow) besides the script engine
        workflow = type("TryWorkflow", (), {"script_engine": script_engine(), "spec": self._Spec(),
                                            "parent_workflow": None})()
        workflow.spec.file = "try"
        workflow.top_workflow = workflow
        self.workflow = workflow


def try_decision(root, decision_id: str, data: dict, filename: str = "decision.dmn") -> dict:
    """Evaluate the decision ``decision_id`` of the (validated) DMN document ``root`` on ``data``, with every
    cell run in the sandbox as in a case; returns the trace ``RecordingDMNEngine`` records plus all outputs.

    Raises ``StepFailed`` with the reason when a cell fails on this input (a name the input lacks, a type error).
    """
    from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser

    from engine.core.errors import StepFailed

    parser = SpiffBpmnParser()
    parser.add_dmn_xml(root, filename)
    table = parser.get_engine(decision_id, None).decision_table
    task = _TryTask(data)
    try:
        result = RecordingDMNEngine(table).result(task)
    except Exception as err:  # noqa: BLE001 - any failing cell is the user's to see, not a server error
        notes = " ".join(getattr(err, "__notes__", []) or [])
        raise StepFailed(f"{err} {notes}".strip()) from None
    trace = result.pop(TRACE_KEY)["try"]
    trace["outputs"] = {k: v if isinstance(v, _PLAIN) else str(v) for k, v in result.items()}
    return trace
