"""Masking rules (PIPL): one rule per kind of number, applied to fields, nested data and free text."""

from engine.core.privacy import mask_deep, mask_id, mask_phone, mask_text


def test_the_rules():
    assert mask_id("440304199001031234") == "440304********1234"
    assert mask_id("AB12") == "****"
    assert mask_phone("138 0013 8000") == "138****8000"
    assert mask_id(None) is None and mask_phone("") == ""


def test_mask_deep_masks_by_key_at_any_depth():
    data = {"parties": [{"name": "张三", "id_number": "440304199001031234", "phone": "13800138000"}],
            "form": {"contact_phone": "13912345678", "mobile": "13712345678", "contact": "13612345678"},
            "amount": 300}
    masked = mask_deep(data)
    assert masked["parties"][0] == {"name": "张三", "id_number": "440304********1234", "phone": "138****8000"}
    assert masked["form"] == {"contact_phone": "139****5678", "mobile": "137****5678", "contact": "136****5678"}
    assert masked["amount"] == 300 and data["parties"][0]["phone"] == "13800138000"  # the input is untouched


def test_text_uses_the_same_rules_as_fields():
    assert mask_text("id 440304199001031234 tel 13800138000") == \
        f"id {mask_id('440304199001031234')} tel {mask_phone('13800138000')}"
