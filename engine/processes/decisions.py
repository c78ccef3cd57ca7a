"""The 决策表 editor's engine side: the decision tables the deployed processes use, an edited table checked,
tried on sample input (in the sandbox) and published as new versions of the processes that use it, and the
versions of a table with the cell-by-cell diff between two.

A decision is found in the sources stored with each process version; the processes that *use* it are those whose
own ``bpmn:process`` calls it (``spiffworkflow:calledDecisionId``). Publishing deploys, for each of them, its
version's files with the DMN file replaced — the same path as the BPMN editor's publish — so the process (and
every process calling it) gets a new version and new cases run the edited table; running cases keep theirs.
"""

from __future__ import annotations

import json

from sqlalchemy import Connection

from engine.core.errors import DecisionFailed, DefinitionRejected, NotFound, Problem, StepFailed
from engine.core.types import Definition
from engine.processes.decision_tables import (
    decision_elements,
    fingerprint,
    form_labels,
    read_table,
    table_diff,
    variables,
)
from engine.processes.deploy import check, deploy
from engine.processes.diff import Bundle
from engine.store import definitions as store
from engine.validation._common import SPIFF_NS


def _users(bundle: Bundle) -> dict[str, list[str]]:
    """decision id -> ids of the processes of ``bundle`` whose own process element calls it."""
    out: dict[str, list[str]] = {}
    for root in bundle.roots.values():
        for proc in root.iter("{http://www.omg.org/spec/BPMN/20100524/MODEL}process"):
            for el in proc.iter(f"{{{SPIFF_NS}}}calledDecisionId"):
                ident = (el.text or "").strip()
                if ident and proc.get("id") not in out.setdefault(ident, []):
                    out[ident].append(proc.get("id"))
    return out


def _latest_users(conn: Connection) -> list[tuple[Definition, Bundle, str]]:
    """(latest version, its bundle, decision id) for every decision a deployed process uses itself."""
    out = []
    for d in store.list_latest(conn):
        bundle = Bundle(store.sources(conn, d.id))
        for ident, users in _users(bundle).items():
            if d.key in users and bundle.decision(ident)[1] is not None:
                out.append((d, bundle, ident))
    return out


def list_decisions(conn: Connection) -> list[dict]:
    """Every decision table a deployed process uses: its id, name, file, hit policy, sizes and the processes."""
    found: dict[str, dict] = {}
    for d, bundle, ident in _latest_users(conn):
        file, el = bundle.decision(ident)
        row = found.get(ident)
        if row is None:
            table = read_table(el)
            row = found[ident] = {"id": ident, "name": table["name"], "file": file, "hit_policy": table["hit_policy"],
                                  "inputs": len(table["inputs"]), "outputs": len(table["outputs"]),
                                  "rules": len(table["rules"]), "processes": []}
        row["processes"].append({"key": d.key, "name": d.name, "version": d.version, "created_at": d.created_at,
                                 "created_by": d.created_by})
    return sorted(found.values(), key=lambda r: r["id"])


def _owners(conn: Connection, ident: str) -> list[tuple[Definition, Bundle]]:
    owners = [(d, bundle) for d, bundle, i in _latest_users(conn) if i == ident]
    if not owners:
        raise NotFound(f"no deployed process uses the decision '{ident}'")
    return owners


def get_decision(conn: Connection, ident: str) -> dict:
    """The table as the editor opens it: the DMN file's text, the processes that use it, the variables to try it
    on with the choices their forms offer, and the words of code values."""
    owners = _owners(conn, ident)
    d, bundle = owners[0]
    file, el = bundle.decision(ident)
    table = read_table(el)
    choices, words = form_labels(store.forms(conn, d.id))
    fields = [{**v, "choices": choices.get(v["name"])} for v in variables(table)]
    return {"id": ident, "name": table["name"], "file": file, "xml": bundle.sources[file],
            "hit_policy": table["hit_policy"], "process": _brief(d),
            "processes": [_brief(o) for o, _ in owners], "fields": fields,
            "outputs": [{"name": o["name"], "label": o["label"] or o["name"]} for o in table["outputs"]],
            "values": words}


def _brief(d: Definition) -> dict:
    return {"key": d.key, "name": d.name, "version": d.version}


def _edited_files(conn: Connection, d: Definition, bundle: Bundle, file: str, xml: str) -> dict[str, bytes]:
    """The version's files (its scope and forms) with ``file`` replaced by the edited text."""
    from engine.processes.catalog import version_bundle

    files = version_bundle(conn, d.key, d.version)
    out = {name: text.encode("utf-8") for name, text in files["sources"].items()}
    out |= {name: json.dumps(schema, ensure_ascii=False).encode("utf-8") for name, schema in files["forms"].items()}
    out[file] = xml.encode("utf-8")
    return out


def _parsed(conn: Connection, owner: tuple[Definition, Bundle], ident: str, xml: str):
    """The edited DMN document, checked by the engine's validation with the files of the process that uses it
    (not compiled); its decision must keep its id."""
    from engine.validation import parse_documents

    d, bundle = owner
    file = bundle.decision(ident)[0]
    docs = parse_documents(_edited_files(conn, d, bundle, file, xml))
    [doc] = [x for x in docs if x.filename == file]
    ids = [el.get("id") for el in decision_elements(doc.root)]
    if ident not in ids:
        raise DefinitionRejected([Problem(f"the decision must keep its id '{ident}' (the processes call it by it)",
                                          file=file, element=ids[0] if ids else "decision")])
    return doc


def check_decision(conn: Connection, ident: str, xml: str) -> dict:
    """Validate the edited table alone, then every process that uses it compiled with it; store nothing."""
    owners = _owners(conn, ident)
    file = owners[0][1].decision(ident)[0]
    _parsed(conn, owners[0], ident, xml)
    for d, bundle in owners:
        check(_edited_files(conn, d, bundle, file, xml))
    return {"ok": True, "processes": [_brief(d) for d, _ in owners]}


def try_decision(conn: Connection, ident: str, xml: str, inputs: dict) -> dict:
    """Evaluate the edited (unpublished) table on ``inputs`` in the sandbox: the rule(s) that matched and the
    outputs. Only the variables its input expressions read are passed; one that ``inputs`` lacks is None, as in a
    case that lacks it."""
    from engine.spiff.decisions import try_decision as evaluate

    owner = _owners(conn, ident)[0]
    file = owner[1].decision(ident)[0]
    doc = _parsed(conn, owner, ident, xml)
    table = read_table(next(el for el in decision_elements(doc.root) if el.get("id") == ident))
    data = {v["name"]: inputs.get(v["name"]) for v in variables(table)}  # names the table does not read: ignored
    try:
        trace = evaluate(doc.root, ident, data, file)
    except StepFailed as err:
        raise DecisionFailed(str(err)) from None
    return {"matched": [{"id": r["id"], "row": r["row"], "annotation": r["annotation"]} for r in trace["rules"]],
            "outputs": trace["outputs"], "output_labels": trace["output_labels"], "hit_policy": trace["hit_policy"]}


def publish_decision(conn: Connection, ident: str, xml: str, actor: str | None) -> list[Definition]:
    """Deploy every process that uses the table with the edited file: new versions of them (and of the processes
    calling them); a process whose content did not change keeps its version. One transaction, all or nothing."""
    owners = _owners(conn, ident)
    file = owners[0][1].decision(ident)[0]
    _parsed(conn, owners[0], ident, xml)
    out: dict[str, Definition] = {}
    for d, bundle in owners:
        if d.key in out:
            continue
        for deployed in deploy(conn, _edited_files(conn, d, bundle, file, xml), actor):
            out.setdefault(deployed.key, deployed)
    return sorted(out.values(), key=lambda x: (not x.is_new, x.key))


def decision_versions(conn: Connection, ident: str) -> dict:
    """The versions of the process that uses the table in which the table changed (its first one included)."""
    d, _ = _owners(conn, ident)[0]
    out, last = [], None
    for v in store.list_versions(conn, d.key):
        table = _table_at(conn, v, ident)
        if table is None:
            continue
        mark = fingerprint(table)
        if mark != last:
            out.append({"version": v.version, "created_at": v.created_at, "created_by": v.created_by,
                        "rules": len(table["rules"])})
        last = mark
    return {"id": ident, "process": _brief(d), "versions": out}


def _table_at(conn: Connection, d: Definition, ident: str) -> dict | None:
    el = Bundle(store.sources(conn, d.id)).decision(ident)[1]
    return read_table(el) if el is not None else None


def decision_diff(conn: Connection, ident: str, version: int, other: int) -> dict:
    """The table's changes between two versions of the process that uses it: rules and cells, old and new."""
    d, _ = _owners(conn, ident)[0]
    tables = []
    for n in (version, other):
        v = store.get(conn, d.key, n)
        table = _table_at(conn, v, ident) if v is not None else None
        if table is None:
            raise NotFound(f"version {n} of process '{d.key}' has no decision '{ident}'")
        tables.append(table)
    return {"id": ident, "process": d.key, "from_version": version, "to_version": other,
            **table_diff(tables[0], tables[1])}
