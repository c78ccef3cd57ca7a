"""Form field errors name the full path of the field, so a page can put each next to its control."""

import pytest

from engine.core.errors import InvalidData
from engine.processes import forms

SCHEMA = {
    "type": "object",
    "properties": {
        "summary": {"type": "string"},
        "parties": {"type": "array", "minItems": 1, "items": {
            "type": "object", "properties": {"name": {"type": "string"}, "phone": {"type": "string"}},
            "required": ["name", "phone"]}},
    },
    "required": ["summary", "parties"],
}


def test_missing_fields_inside_a_list_row_are_named_with_the_row():
    with pytest.raises(InvalidData) as err:
        forms.validate("h", "f.json", SCHEMA, {"parties": [{"name": "张某", "phone": "1"}, {"name": 5}]})
    assert err.value.errors.keys() == {"summary", "parties.1.name", "parties.1.phone"}
    assert err.value.kinds["parties.1.phone"] == "required"
    assert err.value.kinds["parties.1.name"] == "type"


def test_a_kept_schema_is_checked_by_its_own_rules_and_a_changed_one_under_the_same_key_by_its_new_ones():
    """The validator of a form ``schema_for`` keeps is found by the schema itself; a schema passed under the same
    key that is not the kept one (a form being edited, a registration form) is checked by its own content."""
    kept = {"type": "object", "properties": {"n": {"type": "integer", "maximum": 5}}}
    schema = forms.schema_for("hash-kept", "f", lambda: {"f": kept})
    assert schema is kept
    assert forms.validate("hash-kept", "f", schema, {"n": 5}) == {"n": 5}
    with pytest.raises(InvalidData):
        forms.validate("hash-kept", "f", schema, {"n": 6})
    other = {"type": "object", "properties": {"n": {"type": "integer", "maximum": 10}}}
    assert forms.validate("hash-kept", "f", other, {"n": 6}) == {"n": 6}  # its own maximum, not the kept one's
    with pytest.raises(InvalidData):
        forms.validate("hash-kept", "f", schema, {"n": 6})  # the kept one still by its own
