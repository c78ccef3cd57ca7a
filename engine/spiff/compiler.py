"""Compile validated BPMN/DMN documents into serialized SpiffWorkflow specs."""

import copy
import hashlib
import json
from dataclasses import dataclass, field

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.task import Task

from engine.core.durations import DurationError
from engine.core.errors import DefinitionRejected, Problem
from engine.core.timer_text import rewrite_timer
from engine.spiff import quiet
from engine.spiff.taskformat import TaskFormat

# Spiff's serializer; a task's own dict is built by ``TaskFormat`` (the same dict, made faster)
REGISTRY = BpmnWorkflowSerializer.configure({**SPIFF_CONFIG, Task: TaskFormat})
quiet.register(REGISTRY)  # a case's tasks are QuietTask (quiet.py), stored as Task
FORM_PROPERTY = "formJsonSchemaFilename"
BPMN_MODEL_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
_TIMER_PARTS = ("timeDate", "timeDuration", "timeCycle")


@dataclass
class CompiledProcess:
    """One executable process with everything it calls, ready to store."""

    key: str
    name: str
    spec_json: str  # {"spec": …, "subprocess_specs": {…}} canonical JSON
    forms: dict[str, dict]  # form file name -> JSON schema used by its user tasks
    sources: dict[str, str]  # file name -> XML text of the files it was compiled from
    user_tasks: list[dict] = field(default_factory=list)  # element id, name, lane, form
    content_hash: str = ""


def _problem(err: SpiffWorkflowException) -> Problem:
    line = getattr(err, "line_number", None)
    return Problem(
        message=str(err.args[0]) if err.args else str(err),
        file=getattr(err, "file_name", None) or None,
        line=int(line) if str(line or "").isdigit() else None,
        element=getattr(err, "id", None) or getattr(err, "tag", None) or None,
    )


def _user_tasks(specs) -> list[dict]:
    out = []
    for spec in specs:
        for ts in spec.task_specs.values():
            if not getattr(ts, "manual", False):
                continue
            props = (getattr(ts, "extensions", None) or {}).get("properties", {})
            out.append(
                {
                    "process": spec.name,
                    "element_id": ts.bpmn_id or ts.name,
                    "name": ts.bpmn_name or ts.name,
                    "lane": ts.lane,
                    "form": props.get(FORM_PROPERTY),
                }
            )
    return out


def compile_documents(documents) -> list[CompiledProcess]:
    """Parse with SpiffWorkflow; one CompiledProcess per executable process.

    ``documents`` are ``engine.validation.Document`` objects (already checked).
    Raises DefinitionRejected with Spiff's own complaint located in the file.
    """
    parser = SpiffBpmnParser()
    forms = {d.filename: d.form for d in documents if d.kind == "form"}
    texts = {d.filename: etree.tostring(d.root, encoding="unicode") for d in documents if d.kind in ("bpmn", "dmn")}
    try:
        for d in documents:
            if d.kind == "bpmn":
                parser.add_bpmn_xml(timers_for_spiff(d.root, d.filename), d.filename)
            elif d.kind == "dmn":
                parser.add_dmn_xml(d.root, d.filename)
        executable = [pid for pid, p in parser.process_parsers.items() if p.process_executable]
        compiled = []
        for pid in executable:
            spec = parser.get_spec(pid)
            subs = parser.get_subprocess_specs(pid)
            compiled.append(_compile_one(pid, spec, subs, forms, texts))
    except SpiffWorkflowException as err:
        raise DefinitionRejected([_problem(err)]) from None
    except (KeyError, ValueError, AttributeError, TypeError) as err:
        raise DefinitionRejected([Problem(f"model could not be compiled: {type(err).__name__}: {err}")]) from None
    if not compiled:
        raise DefinitionRejected([Problem("no executable process (isExecutable is not true)")])
    return compiled


def timers_for_spiff(root, filename: str | None = None):
    """A copy of ``root`` whose timers SpiffWorkflow can evaluate (``root`` itself is not changed).

    Unquoted ISO 8601 (``PT1H``, ``R3/PT10M``, as Camunda Modeler writes them) is quoted; a duration
    written the office's way ("20 个工作日", "received_on + 15 日") becomes a timeDate calling the
    sandbox's ``due()``, counted by the office calendar. Python expressions are left alone.
    """
    out = copy.deepcopy(root)
    changed = False
    for el in list(out.iter(*(f"{{{BPMN_MODEL_NS}}}{part}" for part in _TIMER_PARTS))):
        part = etree.QName(el).localname
        try:
            change = rewrite_timer(part, el.text or "")
        except DurationError as err:
            raise DefinitionRejected([Problem(f"timer {part}: {err.en}", filename, el.sourceline, _owner(el))]) from None
        if change is not None:
            el.text = change.expression
            el.tag = f"{{{BPMN_MODEL_NS}}}{change.part}"
            changed = True
    return out if changed else root


def _owner(el) -> str | None:
    cur = el
    while cur is not None and not cur.get("id"):
        cur = cur.getparent()
    return cur.get("id") if cur is not None else None


def _compile_one(pid, spec, subs, forms, texts) -> CompiledProcess:
    missing = [s for s, v in subs.items() if v is None]
    if missing:
        raise ValidationException(f"called process '{missing[0]}' is not in the bundle")
    tasks = _user_tasks([spec, *subs.values()])
    used_forms = {}
    for t in tasks:
        if t["form"]:
            if t["form"] not in forms:
                raise ValidationException(
                    f"form '{t['form']}' of user task '{t['element_id']}' is not in the bundle", id=t["element_id"]
                )
            used_forms[t["form"]] = forms[t["form"]]
    spec_dict = {
        "spec": REGISTRY.convert(spec),
        "subprocess_specs": {name: REGISTRY.convert(s) for name, s in sorted(subs.items())},
    }
    spec_json = json.dumps(spec_dict, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(spec_json.encode("utf-8"))
    digest.update(json.dumps(used_forms, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return CompiledProcess(
        key=pid,
        name=spec.description or pid,
        spec_json=spec_json,
        forms=used_forms,
        sources=texts,
        user_tasks=tasks,
        content_hash=digest.hexdigest(),
    )


def load_specs(spec_json: str):
    """Restore (spec, subprocess_specs) from a stored spec_json."""
    dct = json.loads(spec_json)
    spec = REGISTRY.restore(dct["spec"])
    subs = {name: REGISTRY.restore(s) for name, s in dct["subprocess_specs"].items()}
    return spec, subs
