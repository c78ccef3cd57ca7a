"""A logging filter that masks ID numbers and mobile phones in every log line (PIPL)."""

import logging
import re

# 18-digit resident ID (last may be X), 15-digit old ID, 11-digit mainland mobile.
_ID = re.compile(r"(?<!\d)(\d{6})(\d{8})(\d{3}[\dXx])(?!\d)|(?<!\d)(\d{6})(\d{5})(\d{4})(?!\d)")
_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")


def mask_text(text: str) -> str:
    def _id(m: re.Match) -> str:
        if m.group(1):
            return m.group(1) + "*" * 8 + m.group(3)[-4:].rjust(4, "*")
        return m.group(4) + "*" * 5 + m.group(6)

    return _PHONE.sub(lambda m: m.group(1) + "****" + m.group(3), _ID.sub(_id, text))


class MaskPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is logged as it is
            return True
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def install() -> None:
    """Attach the filter to every handler of the root and the uvicorn loggers."""
    f = MaskPersonalData()
    for name in ("", "uvicorn", "uvicorn.access", "uvicorn.error", "tiaojie"):
        logger = logging.getLogger(name)
        logger.addFilter(f)
        for handler in logger.handlers:
            handler.addFilter(f)
