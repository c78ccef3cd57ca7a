"""SLA and statutory rules (时限规则): supervisors create, change and retire them, leaders and admins read them.

A change shows the open deadlines it moves before it is saved (``POST /deadlines/sla-rules/{key}/preview``, nothing
written); saving (``PUT``) moves the same ones in its transaction and keeps the change in the rule's history
(``GET /deadlines/sla-rules/{key}/history``). Retiring (``active: false``) opens no new deadlines and moves none.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Path
from sqlalchemy import Connection

from api.deps import TRANSACTION, require
from api.sla_rules.schemas import PreviewOut, RuleIn, RuleNewIn, RuleOut, SavedOut, VersionOut
from engine import deadlines
from engine.core.types import User

router = APIRouter(prefix="/deadlines/sla-rules", tags=["sla rules"])
READERS = ("supervisor", "leader", "admin")
EDITORS = ("supervisor",)
RuleKey = Annotated[str, Path(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.-]+$")]
RULE_FIELDS = tuple(f for f in RuleOut.model_fields if f not in ("limit_text", "alerts", "open_deadlines"))
NOT_NULL = ("name", "duration", "clock", "starts_from", "active", "alerts")  # null means "not given"


def _rule(r, counts: dict[str, int]) -> dict:
    return {**{k: getattr(r, k) for k in RULE_FIELDS}, "limit_text": deadlines.limit_text(r),
            "alerts": [a for a in (r.alerts or "").split(",") if a], "open_deadlines": counts.get(r.key, 0)}


def _changes(body: RuleIn) -> tuple[dict, str | None]:
    changes = body.model_dump(exclude_unset=True)
    reason = changes.pop("reason", None)
    return {k: v for k, v in changes.items() if not (k in NOT_NULL and v is None)}, reason


@router.get("", response_model=list[RuleOut], summary="SLA and statutory rules, active and retired")
def list_rules(_: User = Depends(require(*READERS)), conn: Connection = TRANSACTION) -> list[dict]:
    counts = deadlines.open_deadline_counts(conn)
    return [_rule(r, counts) for r in deadlines.list_rules(conn)]


@router.post("", status_code=201, response_model=RuleOut,
             summary="Add a rule (supervisors): it applies to tasks created from now on; 409 if the key exists")
def create_rule(body: RuleNewIn, user: User = Depends(require(*EDITORS)), conn: Connection = TRANSACTION) -> dict:
    values = body.model_dump(exclude_unset=False)
    reason = values.pop("reason")
    if values.get("clock") is None:
        values.pop("clock")
    return _rule(deadlines.create_rule(conn, values, user.username, reason), {})


@router.post("/{key}/preview", response_model=PreviewOut,
             summary="The open deadlines a change of the rule would move (old and new due), nothing saved")
def preview(key: RuleKey, body: RuleIn, _: User = Depends(require(*EDITORS)), conn: Connection = TRANSACTION) -> dict:
    return deadlines.preview_rule(conn, key, _changes(body)[0])


@router.put("/{key}", response_model=SavedOut,
            summary="Change or retire an SLA rule (supervisors); the open deadlines it moves are counted again")
def set_rule(key: RuleKey, body: RuleIn, user: User = Depends(require(*EDITORS)),
             conn: Connection = TRANSACTION) -> dict:
    changes, reason = _changes(body)
    rule, moved = deadlines.save_rule(conn, key, changes, user.username, reason)
    return {**_rule(rule, deadlines.open_deadline_counts(conn)), "moved": moved}


@router.get("/{key}/history", response_model=list[VersionOut], summary="A rule's changes, newest first")
def history(key: RuleKey, _: User = Depends(require(*READERS)), conn: Connection = TRANSACTION) -> list:
    return deadlines.rule_history(conn, key)
