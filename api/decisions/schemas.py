"""Request and response models of the decision table (决策表) endpoints."""

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

NO_NUL = r"^[^\x00]*$"
Xml = Annotated[str, Field(min_length=1, max_length=60_000, pattern=NO_NUL,
                           description="the whole edited DMN file (XML text), as the editor saves it; at most 60 000 characters, so that any body stays under the 1 MB request limit")]
Value = Annotated[str, Field(max_length=200, pattern=NO_NUL)] | int | float | bool | None


class ProcessBrief(BaseModel):
    key: str
    name: str
    version: int


class UsedBy(ProcessBrief):
    created_at: datetime
    created_by: str | None


class DecisionOut(BaseModel):
    id: str
    name: str | None
    file: str  # the DMN file it is stored in
    hit_policy: str | None
    inputs: int
    outputs: int
    rules: int
    processes: list[UsedBy]  # the latest versions of the processes that call it


class Choice(BaseModel):
    value: str
    zh: str
    en: str


class FieldOut(BaseModel):
    name: str  # the variable an input expression reads
    label: str
    type: str  # string | number | boolean
    choices: list[Choice] | None  # from the process's forms, where the field of that name has them


class OutputOut(BaseModel):
    name: str | None
    label: str | None


class DecisionDetailOut(BaseModel):
    id: str
    name: str | None
    file: str
    xml: str
    hit_policy: str | None
    process: ProcessBrief  # whose latest version the table is read from (versions and diffs are its)
    processes: list[ProcessBrief]
    fields: list[FieldOut]  # what the try panel asks for
    outputs: list[OutputOut]
    values: dict[str, list[str]]  # code value -> [zh, en], to show outputs in words


class EditIn(BaseModel):
    """An edited table, to check or publish."""

    model_config = ConfigDict(extra="forbid")
    xml: Xml


class TryIn(BaseModel):
    """An edited table and a sample input: the values of the variables its inputs read (a variable left out is
    empty, None, as in a case that lacks it; a name the table does not read is ignored)."""

    model_config = ConfigDict(extra="forbid")
    xml: Xml
    inputs: Annotated[dict[str, Value], Field(max_length=50)] = {}


class MatchedRule(BaseModel):
    id: str | None
    row: int
    annotation: str | None


class TryOut(BaseModel):
    matched: list[MatchedRule]  # FIRST/UNIQUE: at most one; COLLECT: every rule that matched
    outputs: dict[str, Any]  # output name -> value (COLLECT: a list)
    output_labels: dict[str, str | None]
    hit_policy: str


class CheckOut(BaseModel):
    ok: bool
    processes: list[ProcessBrief]  # each compiled with the edited table


class PublishedOut(BaseModel):
    key: str
    name: str
    version: int
    is_new: bool  # False: unchanged, its version kept
    created_at: datetime


class PublishOut(BaseModel):
    definitions: list[PublishedOut]


class VersionOut(BaseModel):
    version: int  # the process's version number
    created_at: datetime
    created_by: str | None
    rules: int


class VersionsOut(BaseModel):
    id: str
    process: ProcessBrief
    versions: list[VersionOut]  # the process's versions in which the table changed, oldest first


class Column(BaseModel):
    id: str | None
    kind: str  # input | output
    label: str


class RuleBrief(BaseModel):
    id: str | None
    row: int
    annotation: str | None


class CellChange(BaseModel):
    column: str  # the column's label
    kind: str  # input | output
    old: str | None  # the cell's text; None: "-" (any) or empty
    new: str | None


class RuleChange(RuleBrief):
    old_row: int
    annotation_change: list[str | None] | None  # [old, new] when the annotation changed
    cells: list[CellChange]


class DiffOut(BaseModel):
    id: str
    process: str
    from_version: int
    to_version: int
    hit_policy: list[str | None] | None  # [old, new] when it changed
    columns_added: list[Column]
    columns_removed: list[Column]
    rules_added: list[RuleBrief]
    rules_removed: list[RuleBrief]
    rules_changed: list[RuleChange]
