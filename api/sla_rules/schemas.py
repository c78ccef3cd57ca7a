"""HTTP shapes of the SLA rules: a rule, a change (the same for its preview), a new rule, the preview, history."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.openapi import JsonBool, json_int
from engine import deadlines

Clock = Literal["natural", "workdays", "hours"]
Alert = Literal["assignee", "supervisor", "leader"]
StartsFrom = Literal[deadlines.STARTS_FROM]  # task, or a case date
NO_NUL = r"^[^\x00]*$"
Amount = json_int(ge=1, le=366)
OfficeLimit = Annotated[str, Field(min_length=1, max_length=40, pattern=NO_NUL)]
Code = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.-]+$")]
Reason = Annotated[str, Field(min_length=1, max_length=2000, pattern=NO_NUL)]
# warn_fraction as the document states it: a number, or the same written as text ("0.8")
WARN_FRACTION_NUMBER = {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1, "multipleOf": 0.001}
WARN_FRACTION_TEXT = {"type": "string", "pattern": r"^0?\.[0-9]{0,2}[1-9]$"}
WARN_FRACTION = {"anyOf": [WARN_FRACTION_NUMBER, WARN_FRACTION_TEXT, {"type": "null"}]}
DURATION = ('a number of `clock` units, or the limit the office\'s way: "20 个工作日", "30 日", "48 小时", "P30D" '
            '(sets the clock)')


class RuleOut(BaseModel):
    key: str
    name: str
    kind: str
    process_key: str
    element_id: str
    dispute_type: str | None
    duration: int
    clock: str
    limit_text: str = Field(description='the limit the office\'s way: "20 个工作日", "30 日", "48 小时"')
    warn_fraction: Decimal | None
    warn_before_hours: int | None
    escalate_after_hours: int | None
    source: str | None
    active: bool
    updated_by: str | None
    updated_at: datetime
    starts_from: str = "task"  # task (its creation) or the case date the clock counts from
    scope: str = "task"  # task | case (one clock over every task of process_key)
    extension_amount: int | None = None
    extension_clock: str | None = None
    extension_rule: str | None = None  # approval | consent
    pausable: bool = True
    closes_on: str | None = None  # case scope: also closes when this element completes (else when the process ends)
    alerts: list[str] = Field(description="who is alerted: assignee (warning, breach), supervisor (督办), "
                                          "leader (领导包案)")
    open_deadlines: int = Field(0, description="the rule's open deadlines")


class RuleIn(BaseModel):
    """A change of a rule (only the fields given). A change of the limit, the start date or the warning moves the
    rule's open deadlines (see the preview); ``active: false`` retires the rule: it opens no new deadlines and its
    open ones run on to their due time. ``warn_before_hours``, when set, wins over ``warn_fraction``."""
    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)] | None = None
    duration: Amount | OfficeLimit | None = Field(None, description=DURATION)
    clock: Clock | None = None
    starts_from: StartsFrom | None = Field(None, description="the case date the limit counts from, or task "
                                                             "(the task's creation)")
    warn_fraction: Decimal | None = Field(None, gt=0, lt=1, max_digits=4, decimal_places=3,
                                          json_schema_extra=WARN_FRACTION)
    warn_before_hours: json_int(ge=0, le=8784) | None = None
    escalate_after_hours: json_int(ge=1, le=720) | None = None
    alerts: list[Alert] | None = Field(None, max_length=3, description="who is alerted; [] nobody")
    active: JsonBool | None = None
    source: Annotated[str, Field(max_length=300, pattern=NO_NUL)] | None = None
    reason: Reason | None = Field(None, description="why (kept in the rule's history)")


class RuleNewIn(BaseModel):
    """A new rule: it opens deadlines for the tasks of ``element_id`` created from now on."""
    model_config = ConfigDict(extra="forbid")
    key: Code
    name: Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)]
    kind: Literal["statutory", "sla"] = "sla"
    process_key: Code
    element_id: Code
    dispute_type: Code | None = None
    scope: Literal["task", "case"] = "task"
    duration: Amount | OfficeLimit = Field(description=DURATION)
    clock: Clock | None = None
    starts_from: StartsFrom = "task"
    warn_fraction: Decimal | None = Field(None, gt=0, lt=1, max_digits=4, decimal_places=3,
                                          json_schema_extra=WARN_FRACTION)
    warn_before_hours: json_int(ge=0, le=8784) | None = None
    escalate_after_hours: json_int(ge=1, le=720) = 24
    alerts: list[Alert] = Field(["assignee", "supervisor", "leader"], max_length=3)
    source: Annotated[str, Field(max_length=300, pattern=NO_NUL)] | None = None
    reason: Reason | None = None


class MoveOut(BaseModel):
    deadline_id: int
    case_id: int
    case_number: str
    task_id: str | None
    name: str
    status: str
    old_due: datetime
    new_due: datetime
    old_warn: datetime | None
    new_warn: datetime | None


class PreviewOut(BaseModel):
    key: str
    open: int = Field(description="the rule's open deadlines")
    moves: list[MoveOut] = Field(description="the open deadlines the change moves, soonest first")
    old: dict[str, Any] = Field(description="the changed values before")
    new: dict[str, Any] = Field(description="the changed values after")


class SavedOut(RuleOut):
    moved: list[MoveOut] = Field(description="the open deadlines the change moved")


class VersionOut(BaseModel):
    id: int
    action: str  # created | changed | retired | restored
    old: dict[str, Any]
    new: dict[str, Any]
    reason: str | None
    moved: int
    changed_by: str
    changed_at: datetime
