"""Shared constants and helpers for the validation modules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.core.errors import Problem

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
XINCLUDE_NS = ("http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude")
# DMN namespaces SpiffWorkflow 3.2 accepts, with the version they denote.
DMN_NAMESPACES = {
    "http://www.omg.org/spec/DMN/20151101/dmn.xsd": "1.1",
    "http://www.omg.org/spec/DMN/20180521/MODEL/": "1.2",
    "https://www.omg.org/spec/DMN/20191111/MODEL/": "1.3",
}
NSMAP = {"bpmn": BPMN_NS, "spiffworkflow": SPIFF_NS}
FORM_PROPERTY = "formJsonSchemaFilename"

MAX_SHOWN = 80  # longest id/value quoted in a message


@dataclass
class Document:
    """One uploaded file, parsed."""

    filename: str
    kind: str  # "bpmn" | "dmn" | "form"
    data: bytes  # original bytes
    root: Any = None  # lxml root element for bpmn/dmn
    form: dict | None = None  # parsed JSON schema for form files (*.json)


def short(value: object) -> str:
    """Clip a user-supplied value so a message stays one readable line."""
    text = str(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 3] + "..."


def local(el) -> str:
    """Local name of an element's tag ('' for comments and PIs)."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def ns(el) -> str:
    tag = el.tag
    if not isinstance(tag, str) or not tag.startswith("{"):
        return ""
    return tag[1:].split("}", 1)[0]


def is_bpmn(el, name: str | None = None) -> bool:
    return ns(el) == BPMN_NS and (name is None or local(el) == name)


def display(el) -> str:
    """'bpmn:task', 'dmn:rule', 'spiffworkflow:preScript' or the bare local name."""
    prefix = {BPMN_NS: "bpmn", SPIFF_NS: "spiffworkflow"}.get(ns(el))
    if prefix is None and ns(el) in DMN_NAMESPACES:
        prefix = "dmn"
    return f"{prefix}:{local(el)}" if prefix else local(el)


def owner_id(el) -> str | None:
    """Id of the element or of its closest ancestor that has one."""
    while el is not None:
        ident = el.get("id") if isinstance(el.tag, str) else None
        if ident:
            return short(ident)
        el = el.getparent()
    return None


def problem(message: str, file: str | None, el=None, element: str | None = None) -> Problem:
    """A Problem located at ``el`` (line, and its own or nearest id, else its tag)."""
    line = el.sourceline if el is not None else None
    if element is None and el is not None:
        element = owner_id(el) or display(el)
    return Problem(message=message, file=file, line=line, element=element)


def children(el, name: str):
    """Direct BPMN children called ``name``."""
    return [c for c in el if is_bpmn(c, name)]


def spiff_extensions(el, name: str):
    """``bpmn:extensionElements/spiffworkflow:<name>`` children of ``el``."""
    out = []
    for ext in children(el, "extensionElements"):
        out.extend(c for c in ext if ns(c) == SPIFF_NS and local(c) == name)
    return out


def spiff_properties(el) -> dict[str, str]:
    """The ``spiffworkflow:properties`` name/value pairs of ``el``."""
    props: dict[str, str] = {}
    for group in spiff_extensions(el, "properties"):
        for prop in group:
            if ns(prop) == SPIFF_NS and local(prop) == "property" and prop.get("name"):
                props[prop.get("name")] = prop.get("value", "")
    return props
