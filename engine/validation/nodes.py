"""Per-process checks: supported elements, events, and sequence-flow structure."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from engine.core.errors import Problem

from ._common import FORM_PROPERTY, children, display, is_bpmn, local, problem, short, spiff_extensions
from ._common import spiff_properties as props

# Flow nodes SpiffWorkflow 3.2's SpiffBpmnParser has a parser for (BpmnParser.PARSER_CLASSES
# plus SpiffBpmnParser.OVERRIDE_PARSER_CLASSES), minus what tiaojie refuses (serviceTask).
SUPPORTED_ELEMENTS = frozenset(
    {
        "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent",
        "task", "userTask", "manualTask", "scriptTask", "businessRuleTask", "sendTask", "receiveTask",
        "callActivity", "subProcess", "transaction", "adHocSubProcess",
        "exclusiveGateway", "inclusiveGateway", "parallelGateway", "eventBasedGateway",
    }
)  # fmt: skip
# Flow elements refused inside executable processes, with the reason shown after the name.
UNSUPPORTED_ELEMENTS = {
    "serviceTask": " (tiaojie has no service connectors)",
    "complexGateway": "",
    "implicitThrowEvent": "",
    "callChoreography": "",
    "choreographyTask": "",
    "subChoreography": "",
    "dataStoreReference": " (tiaojie has no data stores)",
}
# Event definitions each event's SpiffWorkflow parser reads; any other one is silently ignored there.
EVENT_DEFINITIONS = {
    "startEvent": {"message", "signal", "timer", "conditional"},
    "endEvent": {"message", "cancel", "error", "escalation", "terminate"},
    "intermediateCatchEvent": {"message", "signal", "timer", "conditional"},
    "intermediateThrowEvent": {"message", "signal", "escalation"},
    "boundaryEvent": {"message", "signal", "timer", "conditional", "cancel", "error", "escalation"},
}
_MULTI_OUT = {"startEvent", "exclusiveGateway", "inclusiveGateway", "parallelGateway", "eventBasedGateway"}
_CONDITIONAL = {"exclusiveGateway", "inclusiveGateway"}
_REFS = {"messageRef": "message", "signalRef": "signal", "errorRef": "error", "escalationRef": "escalation"}


@dataclass
class Context:
    """What the checks of one BPMN file need to know about the bundle."""

    file: str
    root: object
    forms: set[str]
    decisions: set[str]
    problems: list[Problem] = field(default_factory=list)
    _roots: dict[str, set[str]] | None = None

    def add(self, message: str, el, element: str | None = None) -> None:
        self.problems.append(problem(message, self.file, el, element))

    def root_ids(self, kind: str) -> set[str]:
        """Ids of this document's top-level bpmn:message / signal / error / escalation."""
        if self._roots is None:
            self._roots = defaultdict(set)
            for el in self.root:
                if is_bpmn(el) and el.get("id"):
                    self._roots[local(el)].add(el.get("id"))
        return self._roots[kind]


def _condition(flow) -> str | None:
    for cond in children(flow, "conditionExpression"):
        if cond.text and cond.text.strip():
            return cond.text
    return None


def check_container(ctx: Context, cont, mode: str = "process") -> None:
    """Check the flow elements directly inside a process or (ad hoc/event) subprocess."""
    nodes, flows, known = {}, [], set()
    for child in cont:
        if not is_bpmn(child):
            continue
        name = local(child)
        if name in UNSUPPORTED_ELEMENTS:
            ctx.add(f"unsupported element {display(child)}{UNSUPPORTED_ELEMENTS[name]}", child)
            known.add(child.get("id"))
        elif name in SUPPORTED_ELEMENTS:
            nodes[child.get("id")] = child
            known.add(child.get("id"))
        elif name == "sequenceFlow":
            flows.append(child)
    incoming, outgoing = defaultdict(list), defaultdict(list)
    for flow in flows:
        src, tgt = flow.get("sourceRef"), flow.get("targetRef")
        if src not in known:
            ctx.add(f"dangling sequence flow: starts at unknown element '{short(src)}'", flow)
        if tgt not in known:
            ctx.add(f"dangling sequence flow: targets unknown element '{short(tgt)}'", flow)
        outgoing[src].append(flow)
        incoming[tgt].append(flow)
    _check_start_end(ctx, cont, mode, [local(n) for n in nodes.values()])
    for node_id, node in nodes.items():
        _check_node(ctx, node, mode, incoming[node_id], outgoing[node_id], nodes, known)


def _check_start_end(ctx: Context, cont, mode: str, names: list[str]) -> None:
    starts, ends = names.count("startEvent"), names.count("endEvent")
    if mode == "process" and starts == 0:
        ctx.add("missing start event", cont)
    elif mode == "adHoc":
        if starts or ends:
            ctx.add("ad hoc subprocess may not contain start or end events", cont)
        if (cont.get("ordering") or "").lower() == "sequential":
            ctx.add("sequential ad hoc subprocess is not supported", cont)
    elif mode != "process":
        if starts != 1:
            ctx.add(f"subprocess needs exactly one start event, found {starts}", cont)
        if ends == 0:
            ctx.add("subprocess has no end event", cont)


def _check_node(ctx: Context, node, mode: str, inc: list, out: list, nodes: dict, known: set) -> None:
    name, what = local(node), display(node)
    event_subprocess = name == "subProcess" and node.get("triggeredByEvent") == "true"
    if name in EVENT_DEFINITIONS:
        _check_event(ctx, node, mode)
    if mode == "adHoc":
        pass
    elif name == "startEvent":
        if inc:
            ctx.add("start event must not have an incoming sequence flow", node)
        if not out:
            ctx.add("start event has no outgoing sequence flow", node)
    elif name == "endEvent":
        if not inc:
            ctx.add("end event has no incoming sequence flow", node)
        if out:
            ctx.add("end event must not have an outgoing sequence flow", node)
    elif name == "boundaryEvent":
        if inc:
            ctx.add("boundary event must not have an incoming sequence flow", node)
        if not out:
            ctx.add("boundary event has no outgoing sequence flow", node)
    elif event_subprocess:
        if inc or out:
            ctx.add("event subprocess must not have sequence flows", node)
    else:
        if not inc:
            ctx.add(f"{what} has no incoming sequence flow", node)
        if not out:
            ctx.add(f"{what} has no outgoing sequence flow", node)
    if len(out) > 1 and name not in _MULTI_OUT:
        ctx.add(f"{what} has {len(out)} outgoing sequence flows; use a gateway to split", node)
    _check_outgoing(ctx, node, out)
    if name == "boundaryEvent":
        target = nodes.get(node.get("attachedToRef"))
        if target is None and node.get("attachedToRef") not in known:
            ctx.add(f"boundary event attached to unknown element '{short(node.get('attachedToRef'))}'", node)
        elif (
            target is not None and children(node, "cancelEventDefinition") and local(target) != "transaction"
        ):
            ctx.add("cancel boundary event must be attached to a transaction", node)
    _check_loops(ctx, node)
    _check_task_refs(ctx, node)
    if name in ("subProcess", "transaction", "adHocSubProcess"):
        sub_mode = {"adHocSubProcess": "adHoc", "transaction": "transaction"}.get(name, "subProcess")
        check_container(ctx, node, "eventSubProcess" if event_subprocess else sub_mode)


def _check_outgoing(ctx: Context, node, out: list) -> None:
    name = local(node)
    default = node.get("default")
    if default and default not in {f.get("id") for f in out}:
        ctx.add(f"default flow '{short(default)}' is not an outgoing sequence flow", node)
    if name in _CONDITIONAL:
        if len(out) > 1:
            for flow in out:
                if flow.get("id") != default and _condition(flow) is None:
                    ctx.add(f"sequence flow leaving gateway '{short(node.get('id'))}' has no condition "
                            "and is not the default flow", flow)  # fmt: skip
    else:
        for flow in out:
            if _condition(flow) is not None:
                ctx.add(f"conditional sequence flow is only supported after an exclusive or inclusive "
                        f"gateway, not after {display(node)}", flow)  # fmt: skip


def _check_event(ctx: Context, node, mode: str) -> None:
    name = local(node)
    defs = [c for c in node if is_bpmn(c) and local(c).endswith("EventDefinition")]
    for ref in children(node, "eventDefinitionRef"):
        ctx.add("eventDefinitionRef is not supported; define the event inline", ref)
    for d in defs:
        kind = local(d)[: -len("EventDefinition")]
        if kind not in EVENT_DEFINITIONS[name]:
            ctx.add(f"unsupported element {display(d)} in {display(node)}", d, node.get("id"))
        for attr, target in _REFS.items():
            ref = d.get(attr)
            if ref and ref not in ctx.root_ids(target):
                ctx.add(f"{display(node)} refers to unknown {target} '{short(ref)}'", d, node.get("id"))
    if name == "boundaryEvent" and not defs:
        ctx.add("boundary event has no event definition", node)
    if name == "startEvent" and mode == "eventSubProcess" and not defs:
        ctx.add(
            "start event of an event subprocess needs a message, signal, timer or conditional trigger", node
        )


def _check_loops(ctx: Context, node) -> None:
    for loop in children(node, "standardLoopCharacteristics"):
        if loop.get("loopMaximum") is None and not children(loop, "loopCondition"):
            ctx.add("loop needs a loopMaximum or a loopCondition", loop)
        elif loop.get("loopMaximum") is not None and not loop.get("loopMaximum").strip().isdigit():
            ctx.add("loopMaximum must be a whole number", loop)
    for mi in children(node, "multiInstanceLoopCharacteristics"):
        given = len(children(mi, "loopCardinality")) + len(children(mi, "loopDataInputRef"))
        if given != 1:
            ctx.add("multi-instance needs exactly one of loopCardinality or loopDataInputRef", mi)


def _check_task_refs(ctx: Context, node) -> None:
    name = local(node)
    if name in ("sendTask", "receiveTask") and node.get("messageRef"):
        if node.get("messageRef") not in ctx.root_ids("message"):
            ctx.add(f"{display(node)} refers to unknown message '{short(node.get('messageRef'))}'", node)
    if name == "userTask":
        form = props(node).get(FORM_PROPERTY)
        if form and form not in ctx.forms:
            ctx.add(f"form file '{short(form)}' is not in the upload", node)
    if name == "businessRuleTask":
        refs = spiff_extensions(node, "calledDecisionId")
        ref = (refs[0].text or "") if refs else ""
        if not ref.strip():
            ctx.add("business rule task has no spiffworkflow:calledDecisionId", node)
        elif ref not in ctx.decisions:
            ctx.add(f"business rule task calls unknown decision '{short(ref)}'", node)
