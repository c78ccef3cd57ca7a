"""The form editor's checks in the engine: every shipped form passes, each problem is named by field and kind, and a
preview's data is checked exactly as a task's completion checks it."""

import json

import pytest

from engine.core.errors import DefinitionRejected, InvalidData
from engine.processes import check_form, try_form
from tests.helpers.paths import BPMN_DIR


def test_shipped_forms_pass():
    for path in sorted((BPMN_DIR / "forms").glob("*.json")):
        assert check_form(json.loads(path.read_text("utf-8"))) == [], path.name


def test_choices_need_labels_and_distinct_values():
    schema = {"type": "object", "title": "表", "properties": {
        "a": {"type": "string", "title": "甲", "enum": ["x", "x"], "x-enumNames": ["一", "二"], "x-enumNames-en": ["One"]},
        "b": {"type": "string", "title": "乙", "enum": ["", "y"], "x-enumNames": ["空", " "]},
        "c": {"type": "string", "title": "丙", "format": "shoe-size"}}}
    kinds = {(p["field"], p["kind"]) for p in check_form(schema)}
    assert kinds == {("a", "choices_duplicate"), ("a", "choice_label_en_count"), ("b", "choice_value_empty"),
                     ("b", "choice_label_missing"), ("c", "format_unknown")}
    assert check_form({"type": "object", "properties": {}}) == [
        {"field": "(form)", "kind": "form_title_missing", "message": "the form has no Chinese title"}]
    assert check_form([])[0]["kind"] == "not_object"


def test_try_form_refuses_as_completion_does_and_normalises():
    schema = {"type": "object", "title": "表", "required": ["n"],
              "properties": {"n": {"type": "integer", "title": "数"}, "p": {"type": "string", "title": "电话",
                                                                          "format": "cn-mobile"}}}
    with pytest.raises(InvalidData) as err:
        try_form(schema, {"p": "1"})
    assert set(err.value.errors) == {"n", "p"} and err.value.kinds["n"] == "required"
    assert try_form(schema, {"n": 3, "p": "138 0013 8000"}) == {"n": 3, "p": "13800138000"}
    with pytest.raises(DefinitionRejected):
        try_form({"type": "object", "properties": {"n": {"type": "integer"}}}, {})
