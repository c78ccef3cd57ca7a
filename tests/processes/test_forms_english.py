"""Every form schema in bpmn/forms carries English texts for the web UI's English switch.

form.js shows "x-title-en", "x-description-en" and "x-enumNames-en" when the page is in English; these
extension keywords are ignored by JSON Schema validation.
"""

import json

import pytest

from tests.helpers.paths import BPMN_DIR

FORMS = sorted((BPMN_DIR / "forms").glob("*.json"))


def nodes(schema, path):
    """Yield (path, node) for the root, every property (recursively) and every titled array item."""
    yield path, schema
    for key, sub in (schema.get("properties") or {}).items():
        yield from nodes(sub, f"{path}.{key}")
    items = schema.get("items")
    if isinstance(items, dict) and (items.get("title") or items.get("properties")):
        yield from nodes(items, f"{path}[]")


def test_there_are_forms():
    assert len(FORMS) >= 20


@pytest.mark.parametrize("form", FORMS, ids=lambda p: p.name)
def test_form_has_english_texts(form):
    schema = json.loads(form.read_text(encoding="utf-8"))
    problems = []
    for path, node in nodes(schema, form.stem):
        if not isinstance(node.get("x-title-en"), str) or not node["x-title-en"].strip():
            problems.append(f"{path}: no x-title-en")
        if "description" in node and not str(node.get("x-description-en") or "").strip():
            problems.append(f"{path}: description without x-description-en")
        names = node.get("x-enumNames")
        if names is not None:
            en = node.get("x-enumNames-en")
            if not isinstance(en, list) or len(en) != len(names) or not all(isinstance(n, str) and n.strip() for n in en):
                problems.append(f"{path}: x-enumNames-en missing or not parallel to x-enumNames")
        for key in ("x-title-en", "x-description-en"):
            if key in node and any("\u4e00" <= ch <= "\u9fff" for ch in node[key]):
                problems.append(f"{path}: {key} contains Chinese")
    assert not problems, "\n".join(problems)
