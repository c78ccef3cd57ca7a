"""The screening task's context (诉访分离甄别): what the decision table suggested and why, the case facts,
the parties (masked), and for every choice the form offers, where completing the task leads.

A user task *screens* when its incoming flow comes from a business rule task (through gateways, scripts
and events only) and its form has a choice (an ``enum`` property) that contains a value the decision put
out: the lawyer's ``final_route`` against the table's ``route``. The matched rule is the one recorded when
the table ran (``decision_trace`` in the case data, written by ``engine.spiff.decisions``); a case screened
before that was recorded shows the suggestion without its rule. What a choice leads to is read from the
process model with the case data and that choice (``engine.spiff.paths.leads_to``), so the page says what
the engine will do.
"""

from sqlalchemy import Connection

from engine.core.errors import NotFound
from engine.core.privacy import mask_deep, mask_id, mask_phone
from engine.core.scope import scope
from engine.core.types import User
from engine.processes import forms
from engine.processes.diff import Bundle
from engine.spiff import paths
from engine.spiff.decisions import TRACE_KEY
from engine.store import definitions as def_store
from engine.store import task_queries
from engine.tasks import permissions
from engine.validation._common import BPMN_NS

# The case facts the lawyer screens on, in the order shown.
FACTS = ("dispute_type", "request_kind", "channel", "source", "community", "received_on", "amount", "people_count",
         "risk_level", "group_case", "difficult", "key_case", "arbitration_clause", "summary", "requests")
PARTY_FIELDS = ("role", "party_kind", "name", "id_type", "id_number", "phone")
_FLOWS: dict[str, dict[tuple[str, str], str]] = {}  # content hash -> {(source, target): sequence flow name}


def context(conn: Connection, user: User, task_id: str) -> dict | None:
    """The screening context of an open task the user may see, or None when the task does not screen."""
    found = task_queries.form_context(conn, task_id, scope(user))
    if found is None:
        raise NotFound(f"task {task_id} not found")
    task, data, definition_id, content_hash = found
    permissions.may_see_form(user, task)
    if task.status not in ("ready", "claimed"):
        return None
    schema = forms.schema_for(content_hash, task.form_key, lambda: def_store.forms(conn, definition_id))
    load_json = lambda: def_store.spec_json(conn, definition_id)  # noqa: E731
    decided = paths.decided_by(content_hash, load_json, task.process_key, task.element_id)
    if decided is None or not isinstance(schema, dict):
        return None
    trace = (data.get(TRACE_KEY) or {}).get(decided)
    choice = _choice(schema, trace, data)
    if choice is None:
        return None
    field, output, options = choice
    outcomes = {}
    for value in options:
        try:
            outcomes[value] = paths.leads_to(content_hash, load_json, task.process_key, task.element_id,
                                             {**data, field: value})
        except Exception:  # a condition the data cannot answer yet: the page says it cannot tell
            outcomes[value] = None
    names = _flow_names(conn, definition_id, content_hash)
    for outcome in outcomes.values():
        for d in (outcome or {}).get("decisions", []):
            d["flow"] = names.get((d["gateway_id"], d["to"]))  # "是", "否", "引导分流": the model's words
    rules = (trace or {}).get("rules") or []
    return {
        "decision_task": decided,
        "decision_name": (trace or {}).get("task_name"),
        "field": field,
        "output": output,
        "suggested": data.get(output),
        "outputs": {k: data.get(k) for k in ((trace or {}).get("outputs") or (output, f"{output}_reason")) if k in data},
        "output_labels": (trace or {}).get("output_labels") or {},
        "hit_policy": (trace or {}).get("hit_policy"),
        "rule": mask_deep(rules[0]) if rules else None,
        "facts": {k: mask_deep(data[k]) for k in FACTS if data.get(k) not in (None, "")},
        "parties": [_party(p) for p in data.get("parties") or [] if isinstance(p, dict)],
        "outcomes": mask_deep(outcomes),
    }


def _choice(schema: dict, trace: dict | None, data: dict) -> tuple[str, str, list] | None:
    """(form field, decision output, the field's options) of the form's choice over a decision output."""
    outputs = (trace or {}).get("outputs") or {}
    # a case screened before the matched rule was recorded: its decision's outputs are not known, but the
    # 诉访分离 table's is ``route``
    candidates = list(outputs) or [k for k in ("route",) if k in data]
    for name, prop in (schema.get("properties") or {}).items():
        options = prop.get("enum") if isinstance(prop, dict) else None
        if not isinstance(options, list):
            continue
        for output in candidates:
            if data.get(output) in options and name != output:
                return name, output, options
    return None


def _flow_names(conn: Connection, definition_id: int, content_hash: str) -> dict[tuple[str, str], str]:
    names = _FLOWS.get(content_hash)
    if names is None:
        names = {}
        for root in Bundle(def_store.sources(conn, definition_id)).roots.values():
            for flow in root.iter(f"{{{BPMN_NS}}}sequenceFlow"):
                if flow.get("name"):
                    names[(flow.get("sourceRef"), flow.get("targetRef"))] = flow.get("name")
        if len(_FLOWS) > 256:
            _FLOWS.clear()
        _FLOWS[content_hash] = names
    return names


def _party(p: dict) -> dict:
    out = {k: p.get(k) for k in PARTY_FIELDS if isinstance(p.get(k), str)}
    out["id_number"] = mask_id(out.get("id_number"))
    out["phone"] = mask_phone(out.get("phone"))
    return mask_deep({k: v for k, v in out.items() if v is not None})
