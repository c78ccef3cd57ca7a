"""Request and response models of the form editor's checks (POST /processes/forms/…)."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class FormCheckIn(BaseModel):
    """A form being edited: the JSON Schema the field editor made (draft 2020-12, ``"type": "object"``)."""

    model_config = ConfigDict(extra="forbid")
    schema_: dict[str, Any] = Field(alias="schema", description="the form's JSON Schema")


class FormTryIn(FormCheckIn):
    """A form and the data of its preview: checked as completing a task with this form checks it."""

    data: dict[str, Any] = Field(description="the preview's values, as the task page sends them")


class FormProblemOut(BaseModel):
    field: str  # the field's name, or "(form)"
    kind: str  # what is wrong, e.g. title_missing, choices_empty, choice_label_missing, required_unknown, schema
    message: str  # in English; pages word each kind themselves


class FormCheckOut(BaseModel):
    ok: bool
    problems: list[FormProblemOut]


class FormTryOut(BaseModel):
    ok: bool
    data: dict[str, Any]  # the values as they would be stored (identifiers normalised, read-only fields dropped)
