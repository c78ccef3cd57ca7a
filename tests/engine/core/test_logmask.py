"""Personal data never reaches the logs in clear (PIPL)."""

import logging

from engine.core.logmask import MaskPersonalData, mask_text


def test_mask_text_masks_ids_and_phones_only():
    text = "GET /api/v1/cases?q=440304199001031234 from 13800138000, case 福田调〔2026〕0001号, amount 5688200"
    masked = mask_text(text)
    assert "440304199001031234" not in masked and "440304********1234" in masked
    assert "13800138000" not in masked and "138****8000" in masked
    assert "0001号" in masked and "5688200" in masked  # ordinary numbers are left alone
    assert mask_text("44030419900101123X") == "440304********123X"
    assert mask_text("440304900101123") == "440304*****1123"  # old 15-digit ID


def test_filter_rewrites_records(caplog):
    logger = logging.getLogger("tiaojie.test.mask")
    logger.addFilter(MaskPersonalData())
    with caplog.at_level(logging.INFO, logger="tiaojie.test.mask"):
        logger.info("party %s phone %s", "440304199001031234", "13912345678")
    assert caplog.records[0].getMessage() == "party 440304********1234 phone 139****5678"
