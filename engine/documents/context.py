"""The context a template is rendered with, exactly as ``engine.documents.contract`` lists it.

Built from the case row and its data (parties as kept: ``ref`` + masked values), the task's form data, the case
clocks and the office. Enum values come with their labels (选项名称) from the forms' ``x-enumNames``. The context
is stored with the document (``documents.data``); copies put the parties' full values back (``with_full``), each
party shown logged.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from engine import privacy
from engine.core.privacy import REF_KEY
from engine.core.types import User
from engine.documents.contract import LISTS, ROOTS
from engine.documents.offices import office_of
from engine.ledger.codes import ledger_outcome
from engine.store import deadlines as deadline_store
from engine.store import documents as store

SHANGHAI = ZoneInfo("Asia/Shanghai")
COPY_REASON = "文书副本 (document copy)"
GROUPS = {"applicant": "applicants", "respondent": "respondents"}
ROLE_LABELS = {"applicant": "申请人", "respondent": "被申请人", "third_party": "第三人", "agent": "代理人"}


def cn_date(value) -> str:
    """2026年12月5日 (from a date, a datetime in Shanghai, or an ISO date string); "" when there is none."""
    if isinstance(value, datetime):
        value = value.astimezone(SHANGHAI).date() if value.tzinfo else value.date()
    elif isinstance(value, str) and value:
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return ""
    if not isinstance(value, date):
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def iso(value) -> str:
    if isinstance(value, datetime):
        value = value.astimezone(SHANGHAI).date() if value.tzinfo else value.date()
    return value.isoformat() if isinstance(value, date) else (value or "")


# ----------------------------------------------------------------------------- labels
def _props(schema) -> dict:
    return (schema or {}).get("properties") or {} if isinstance(schema, dict) else {}


def _enum_labels(prop: dict) -> dict | None:
    values, names = prop.get("enum"), prop.get("x-enumNames")
    if not values and isinstance(prop.get("items"), dict):
        values, names = prop["items"].get("enum"), prop["items"].get("x-enumNames")
    if not isinstance(values, list) or not isinstance(names, list):
        return None
    return {v: n for v, n in zip(values, names, strict=False) if isinstance(v, str)}


def labels_of(forms: dict, others: list[dict] = ()) -> dict[str, dict[str, str]]:
    """{field: {value: label}} over every form of the process version (the intake form first), then of
    ``others`` (other processes' forms); the parties' fields as ``parties.<field>``."""
    out: dict[str, dict[str, str]] = {}
    ordered = sorted((forms or {}).items(), key=lambda kv: (not kv[0].startswith("intake"), kv[0]))
    for more in others:
        ordered += sorted(more.items(), key=lambda kv: (not kv[0].startswith("intake"), kv[0]))
    for _, schema in ordered:
        for name, prop in _props(schema).items():
            if not isinstance(prop, dict):
                continue
            if (lab := _enum_labels(prop)) is not None:
                out.setdefault(name, lab)
            if isinstance(prop.get("items"), dict):
                for sub, sp in _props(prop["items"]).items():
                    if isinstance(sp, dict) and (lab := _enum_labels(sp)) is not None:
                        out.setdefault(f"{name}.{sub}", lab)
    return out


def _label(labels: dict, field: str, value) -> str:
    table = labels.get(field) or {}
    if isinstance(value, list):
        return "、".join(table.get(v, str(v)) for v in value if v is not None)
    if value is None or value == "":
        return ""
    return table.get(value, str(value)) if isinstance(value, str) else str(value)


def _with_labels(values: dict, fields: list[str], labels: dict) -> tuple[dict, dict]:
    """(values with every field of ``fields`` present ("" when empty), labels of the enum fields)."""
    out = {k: v for k, v in values.items() if k != "parties"}
    for name in fields:
        out.setdefault(name, "")
    named = {name: _label(labels, name, out.get(name)) for name in out if name in labels}
    for name in fields:
        if name in labels:
            named.setdefault(name, "")
    return out, named


# ----------------------------------------------------------------------------- parties
def _party(p: dict, labels: dict) -> dict:
    role = p.get("role")
    return {"ref": str(p.get(REF_KEY) or ""), "role": role or "",
            "role_label": _label(labels, "parties.role", role) or ROLE_LABELS.get(role, ""),
            "party_kind_label": _label(labels, "parties.party_kind", p.get("party_kind")),
            "name": str(p.get("name") or ""), "id_type_label": _label(labels, "parties.id_type", p.get("id_type")),
            "id_number": str(p.get("id_number") or ""), "phone": str(p.get("phone") or ""),
            "address": str(p.get("address") or ""), "legal_representative": str(p.get("legal_representative") or "")}


def _grouped(parties: list[dict]) -> dict:
    groups = {"parties": parties, "applicants": [], "respondents": [], "others": []}
    for p in parties:
        groups[GROUPS.get(p["role"], "others")].append(p)
    return groups


# ----------------------------------------------------------------------------- the context
def _clock(d) -> dict:
    return {"rule": d.rule_key or d.kind, "title": d.name, "started_on": iso(d.starts_at),
            "started_on_cn": cn_date(d.starts_at), "due_on": iso(d.due_at), "due_on_cn": cn_date(d.due_at),
            "status": d.status}


def _case(case, data: dict, labels: dict) -> dict:
    amount = case.amount if case.amount is not None else data.get("amount")
    out = {
        "case_number": case.case_number, "process_key": case.process_key, "channel": case.channel or "",
        "channel_label": _label(labels, "channel", case.channel), "source_label": _label(labels, "source", case.source),
        "dispute_type": case.dispute_type or "", "dispute_type_label": _label(labels, "dispute_type", case.dispute_type),
        "request_kind_label": _label(labels, "request_kind", case.request_kind), "summary": case.summary or "",
        "requests": str(data.get("requests") or ""), "amount": float(amount) if amount not in (None, "") else "",
        "people_count": case.people_count if case.people_count is not None else "",
        "risk_level_label": _label(labels, "risk_level", case.risk_level), "community": case.community or "",
        "mediator": case.mediator or str(data.get("mediator_name") or ""), "outcome": case.outcome or "",
        "outcome_label": ledger_outcome(case.outcome) or "", "guidance_to_label": case.guidance_to or "",
        "status": case.status, "created_on_cn": cn_date(case.created_at),
    }
    for name in ("received_on", "accepted_on", "closed_on"):
        value = getattr(case, name) or data.get(name)
        out[name], out[f"{name}_cn"] = iso(value), cn_date(value)
    return out


def build(conn: Connection, case, *, form_schema: dict | None, form: dict, doc: dict) -> dict:
    """The full context (parties masked, as kept) for the case row ``case`` (``store.documents.case_row``)."""
    forms = case.forms or {}
    labels = labels_of(forms, store.latest_forms(conn))
    data = case.data if isinstance(case.data, dict) else {}
    kept = [p for p in (data.get("parties") or []) if isinstance(p, dict)] if isinstance(data.get("parties"), list) \
        else []
    parties = [_party(p, labels) for p in kept]
    form_values, form_labels = _with_labels(form, list(_props(form_schema)), labels)
    every = sorted({n for s in forms.values() for n in _props(s)} - {"parties"})
    data_values, data_labels = _with_labels(data, every, labels)
    out = {
        "doc": {**{k: "" for k in ROOTS["doc"]}, **doc},
        "office": office_of(case.community),
        "case": _case(case, data, labels),
        "form": form_values, "form_labels": form_labels, "data": data_values, "data_labels": data_labels,
        "mediator": {"name": case.mediator or str(data.get("mediator_name") or "")},
        "clocks": [_clock(d) for d in deadline_store.for_case(conn, case.id) if d.kind != "timer"],
        **_grouped(parties),
    }
    assert set(out) == set(ROOTS) | set(LISTS)
    return out


def doc_fields(*, kind, number: str, year: int | None, serial: int | None, version: int, issued_on: date,
               draft: bool) -> dict:
    return {"kind": kind.code, "title": kind.title, "number": number, "year": year or "", "serial": serial or "",
            "version": version, "issued_on": issued_on.isoformat(), "issued_on_cn": cn_date(issued_on),
            "copy_label": "", "draft": draft}


# ----------------------------------------------------------------------------- copies
def with_full(conn: Connection, user: User, case_id: int, context: dict, refs: list[str] | None) -> dict:
    """The stored context with the full ID numbers and phones put back for the parties ``refs`` (None: all),
    each one shown logged in ``pii_access``; the others stay masked."""
    chosen = [p for p in context.get("parties") or [] if refs is None or p.get("ref") in refs]
    if not chosen:
        return context
    kept = [{REF_KEY: p["ref"], "name": p.get("name"), "role": p.get("role"), "id_number": p.get("id_number"),
             "phone": p.get("phone")} for p in chosen]
    full = {p.get(REF_KEY): p for p in privacy.full_parties(conn, user, case_id, kept, reason=COPY_REASON)}
    parties = []
    for p in context.get("parties") or []:
        f = full.get(p.get("ref"))
        parties.append({**p, "id_number": str(f.get("id_number") or ""), "phone": str(f.get("phone") or "")}
                       if f is not None else p)
    return {**context, **_grouped(parties)}


def copy_label(copy: str, parties: list[dict]) -> str:
    """The line a copy carries: 存档 (kept), 申请人 张三 收执 (a party's), "" (masked)."""
    if copy == "file":
        return "存档"
    for p in parties:
        if p.get("ref") == copy:
            return f"{p.get('role_label') or ''} {p.get('name') or ''} 收执".strip()
    return ""
