"""Response models of the process definition endpoints."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ProcessOut(BaseModel):
    key: str
    name: str
    version: int
    created_at: datetime
    created_by: str | None
    versions: int  # how many versions the key has


class VersionOut(BaseModel):
    key: str
    name: str
    version: int
    content_hash: str
    created_at: datetime
    created_by: str | None


class UserTaskOut(BaseModel):
    process: str  # the (sub)process the task belongs to
    element_id: str
    name: str
    lane: str | None
    group: str | None  # candidate group: the task's candidateGroup property, else from its lane
    form: str | None  # form file (JSON Schema) the task is completed with


class VersionDetailOut(VersionOut):
    file: str | None  # the BPMN file that defines the process
    user_tasks: list[UserTaskOut]
    forms: dict[str, dict]  # form file -> JSON Schema, for every form its user tasks use


class BundleOut(BaseModel):
    key: str
    version: int
    file: str  # the BPMN file that defines the process
    sources: dict[str, str]  # file name -> XML text: the process's file, the files it calls, its DMN
    forms: dict[str, dict]  # form file -> JSON Schema


class DeployedOut(BaseModel):
    key: str
    name: str
    version: int
    is_new: bool  # False: identical content, the existing version was kept
    created_at: datetime


class DeployOut(BaseModel):
    definitions: list[DeployedOut]


class CheckedProcessOut(BaseModel):
    key: str
    name: str
    user_tasks: list[UserTaskOut]


class ValidateOut(BaseModel):
    ok: bool
    processes: list[CheckedProcessOut]


class ElementOut(BaseModel):
    id: str
    type: str
    name: str | None


class ChangedElementOut(ElementOut):
    changes: dict[str, list]  # what -> [before, after]; null where absent


class ValueChangeOut(BaseModel):
    path: str  # where in the form's JSON Schema, e.g. properties.phone.title
    old: Any = None  # null: absent before
    new: Any = None  # null: absent after


class FormsDiffOut(BaseModel):
    added: list[str]
    removed: list[str]
    changed: list[str]
    values: dict[str, list[ValueChangeOut]] = {}  # changed file -> each changed value, old and new


class DiffOut(BaseModel):
    key: str
    from_version: int
    to_version: int
    added: list[ElementOut]
    removed: list[ElementOut]
    changed: list[ChangedElementOut]
    forms: FormsDiffOut


class StartTaskOut(BaseModel):
    element_id: str
    name: str
    group: str | None


class StartFormOut(BaseModel):
    """The data of POST /cases for this process: the JSON Schema of the first task's form (受理登记)."""

    process_key: str
    version: int
    name: str
    task: StartTaskOut | None
    form_key: str | None
    schema_: dict[str, Any] | None = Field(alias="schema", serialization_alias="schema")
    completes_first_task: bool  # the caller's role works the first task: POST /cases completes it at once
    communities: list[str] | None  # the communities a case may be registered in (None: any)

    model_config = ConfigDict(populate_by_name=True)
