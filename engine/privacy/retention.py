"""Retention: closed cases past their retention period are anonymised, with a report of what was removed.

The period is a setting per kind of case (``TIAOJIE_RETENTION_YEARS``, e.g. ``petition=5,dispute_case=10,
default=10``; a kind is the case's request kind or its process key, the request kind tried first). An
anonymised case keeps its number, kind, dates, status, amounts and outcome for statistics; its parties'
names, ID numbers, phones and addresses, free-text summary and requests, its attachments and every
personal field in its events and workflow state are removed.

A filed case (立卷归档) follows its file's 保管期限 instead (``case_files.retention``): a permanent (永久) file is never
anonymised, a long or short one when its years have passed since it was filed.
"""

import json
from datetime import datetime, timedelta

from sqlalchemy import Connection

from engine.core import clock
from engine.core.errors import InvalidData
from engine.core.privacy import anonymise_deep, map_data_blocks
from engine.core.settings import get_settings
from engine.store import case_files as file_store
from engine.store import privacy as store

DAYS_PER_YEAR = 365.25


def periods(text: str | None = None) -> dict[str, int]:
    """{kind: years} from the setting; ``default`` always present (10 years unless set)."""
    out = {"default": 10}
    for item in (text if text is not None else get_settings().retention_years).split(","):
        if not item.strip():
            continue
        kind, _, years = item.partition("=")
        try:
            n = int(years.strip())
        except ValueError:
            n = -1
        if not kind.strip() or n < 1:
            raise InvalidData(f"TIAOJIE_RETENTION_YEARS: '{item.strip()}' is not kind=years (years >= 1)",
                              {"retention_years": item.strip()})
        out[kind.strip()] = n
    return out


def _kind(row, years: dict[str, int]) -> tuple[str, int]:
    for kind in (row.request_kind, row.process_key):
        if kind and kind in years:
            return kind, years[kind]
    return "default", years["default"]


def run(conn: Connection, *, dry_run: bool = False, now: datetime | None = None) -> dict:
    """Anonymise (or, dry run, list) the closed cases past their period; the report of what was (would be)
    removed."""
    now = now or clock.now()
    years = periods()
    shortest = min(years.values())
    file_years = file_store.shortest_years(conn)
    if file_years is not None:
        shortest = min(shortest, file_years)
    report = {"at": now, "dry_run": dry_run, "periods": years, "cases": [],
              "totals": {"cases": 0, "party_rows": 0, "events": 0, "attachments": 0}}
    candidates = store.closed_cases(conn, now - timedelta(days=shortest * DAYS_PER_YEAR))
    files = file_store.retention_of(conn, [r.id for r in candidates])
    for row in candidates:
        if row.id in files:  # the file's 保管期限, counted from its filing
            retention, n, since = files[row.id]
            if n is None:
                continue
            kind = f"file:{retention}"
        else:
            kind, n = _kind(row, years)
            since = row.completed_at
        if since >= now - timedelta(days=n * DAYS_PER_YEAR):
            continue
        content = store.case_content(conn, row.id)
        data = content.data if isinstance(content.data, dict) else {}
        new_data = anonymise_deep(data)
        state = json.loads(content.state) if content.state else {}
        new_state = json.dumps(map_data_blocks(state, anonymise_deep), ensure_ascii=False, separators=(",", ":"))
        evs = {e.id: anonymise_deep(e.data) for e in store.case_events(conn, row.id)
               if isinstance(e.data, dict) and anonymise_deep(e.data) != e.data}
        parties = data.get("parties") if isinstance(data.get("parties"), list) else []
        item = {"case_id": row.id, "case_number": row.case_number, "kind": kind, "years": n,
                "status": row.status, "closed_at": row.completed_at, "parties": len(parties),
                "fields": sorted(_changed_keys(data, new_data)), "events": len(evs)}
        if dry_run:
            item.update(party_rows=None, attachments=None)
        else:
            removed = store.anonymise(conn, row.id, data=new_data, state=new_state, event_data=evs,
                                      summary_removed=content.summary is not None,
                                      record={"anonymised_at": now, "kind": kind, "years": n,
                                              "removed": {"events": len(evs), "fields": item["fields"]}})
            item.update(removed)
            report["totals"]["party_rows"] += removed["party_rows"]
            report["totals"]["attachments"] += removed["attachments"]
        report["totals"]["cases"] += 1
        report["totals"]["events"] += len(evs)
        report["cases"].append(item)
    return report


def _changed_keys(old, new, path: str = "") -> set[str]:
    """Dotted field names (list indexes as *) whose values anonymisation changed."""
    out = set()
    if isinstance(old, dict) and isinstance(new, dict):
        for k in old:
            out |= _changed_keys(old[k], new.get(k), f"{path}.{k}" if path else str(k))
    elif isinstance(old, list) and isinstance(new, list):
        for o, n in zip(old, new, strict=False):
            out |= _changed_keys(o, n, f"{path}.*")
    elif old != new:
        out.add(path)
    return out
