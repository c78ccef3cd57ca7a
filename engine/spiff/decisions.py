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
