"""Where completing a user task leads, read from the process model before the task is completed.

``leads_to`` walks the compiled spec from a user task's outgoing flow with the data the task would
be completed with: an exclusive gateway takes the first outgoing flow whose condition is true (the
default otherwise), as SpiffWorkflow does, conditions evaluated in the sandbox like the running case;
a parallel gateway takes every flow; scripts and business rule tasks are passed through (their
results are not predicted). The walk stops at the next user task, called process (and names the
user tasks its start reaches), end event or wait. The answer lists those targets and the gateway
decisions on the way, with the values the conditions read, so a page can say what a choice leads to
and why, and a test can hold the engine to it.
"""

import ast
from collections.abc import Callable

from engine.spiff.runtime import LANE_GROUPS, SPECS
from engine.spiff.scripting import script_engine

_MAX_STEPS = 200
_PLAIN = (str, int, float, bool, type(None))


def leads_to(content_hash: str, load_json: Callable[[], str], process_key: str, element_id: str,
             data: dict) -> dict:
    """{"targets": [...], "decisions": [...]} after ``element_id`` of ``process_key`` completes with ``data``."""
    spec, subs = SPECS.get(content_hash, load_json)
    proc = spec if spec.name == process_key else subs.get(process_key)
    start = _by_element(proc, element_id) if proc is not None else None
    if start is None:
        return {"targets": [], "decisions": []}
    walk = _Walk(subs, data)
    for out in start.outputs:
        walk.visit(out)
    return {"targets": walk.targets, "decisions": walk.decisions}


def decided_by(content_hash: str, load_json: Callable[[], str], process_key: str, element_id: str) -> str | None:
    """The element id of the business rule task whose decision a user task works on: the one its incoming
    flow comes from, through gateways, scripts and events but no other user task; None if there is none."""
    spec, subs = SPECS.get(content_hash, load_json)
    proc = spec if spec.name == process_key else subs.get(process_key)
    start = _by_element(proc, element_id) if proc is not None else None
    todo, seen = list(start.inputs) if start is not None else [], set()
    while todo and len(seen) < _MAX_STEPS:
        ts = todo.pop(0)
        if id(ts) in seen or getattr(ts, "manual", False) or _kind(ts) in ("CallActivity", "SubWorkflowTask"):
            continue
        seen.add(id(ts))
        if _kind(ts) == "BusinessRuleTask":
            return ts.bpmn_id
        todo.extend(ts.inputs)
    return None


def _by_element(proc, element_id: str):
    return next((ts for ts in proc.task_specs.values() if getattr(ts, "bpmn_id", None) == element_id), None)


def _kind(ts) -> str:
    return type(ts).__name__


class _Walk:
    def __init__(self, subs: dict, data: dict):
        self.subs, self.data = subs, data
        self.targets: list[dict] = []
        self.decisions: list[dict] = []
        self.seen: set[int] = set()
        self.steps = 0

    def visit(self, ts, depth: int = 0) -> None:
        self.steps += 1
        if id(ts) in self.seen or self.steps > _MAX_STEPS:
            return
        self.seen.add(id(ts))
        kind = _kind(ts)
        if getattr(ts, "bpmn_id", None) is None:  # Spiff's own joins (boundary events, the end join)
            if kind == "BoundaryEventSplit":
                self.visit(next(o for o in ts.outputs if _kind(o) != "BoundaryEvent"), depth)
            elif kind == "BpmnStartTask":
                for out in ts.outputs:
                    self.visit(out, depth)
            return
        if kind in ("ExclusiveGateway", "InclusiveGateway"):
            for out in self._choose(ts):
                self.visit(out, depth)
        elif kind == "ParallelGateway" or kind in ("ScriptTask", "BusinessRuleTask", "IntermediateThrowEvent",
                                                    "StartEvent", "SendTask"):
            for out in ts.outputs:
                self.visit(out, depth)
        elif getattr(ts, "manual", False):
            self.targets.append(self._target(ts, "task"))
        elif kind == "CallActivity" or kind == "SubWorkflowTask":
            target = self._target(ts, "call")
            called = self.subs.get(ts.spec) if kind == "CallActivity" else None
            target["process_key"] = ts.spec
            target["process_name"] = (called.description or ts.spec) if called is not None else ts.spec
            if called is not None and depth < 3:
                inner = _Walk(self.subs, self.data)
                inner.visit(called.start, depth + 1)
                target["tasks"] = [t for t in inner.targets if t["kind"] == "task"]
            self.targets.append(target)
        elif kind == "EndEvent":
            self.targets.append(self._target(ts, "end"))
        else:
            self.targets.append(self._target(ts, "wait"))

    def _choose(self, gw) -> list:
        wf = gw._wf_spec
        chosen, default = [], wf.get_task_spec_from_name(gw.default_task_spec) if gw.default_task_spec else None
        conditions = [(c, name) for c, name in gw.cond_task_specs if c is not None]
        for condition, name in conditions:
            expression = condition.args[0]
            if self._true(expression):
                chosen.append(wf.get_task_spec_from_name(name))
                self._decided(gw, expression, chosen[-1])
                if _kind(gw) == "ExclusiveGateway":
                    return chosen
        if not chosen and default is not None:
            if conditions:
                self._decided(gw, None, default, [c.args[0] for c, _ in conditions])
            chosen.append(default)
        return chosen

    def _true(self, expression: str) -> bool:
        return bool(script_engine().environment.evaluate(expression, dict(self.data), {}))

    def _decided(self, gw, expression: str | None, target, refused: list[str] | None = None) -> None:
        names = _names(expression) if expression else set().union(*(_names(e) for e in refused or []))
        self.decisions.append({
            "gateway_id": gw.bpmn_id, "gateway": gw.bpmn_name, "to": target.bpmn_id, "to_name": target.bpmn_name,
            "condition": expression, "default": expression is None,
            "values": {n: self.data.get(n) for n in sorted(names) if isinstance(self.data.get(n), _PLAIN)}})

    @staticmethod
    def _target(ts, kind: str) -> dict:
        return {"kind": kind, "element_id": ts.bpmn_id, "name": ts.bpmn_name or ts.bpmn_id, "lane": ts.lane,
                "group": LANE_GROUPS.get(ts.lane, ts.lane) if ts.lane else None,
                "documentation": getattr(ts, "documentation", None) or None}


def _names(expression: str) -> set[str]:
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
