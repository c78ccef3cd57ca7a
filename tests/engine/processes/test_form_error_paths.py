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
