"""A logging filter that masks ID numbers and mobile phones in every log line (PIPL).

The rules themselves are ``engine.core.privacy``'s (``mask_text``); this module only applies them to
log records.
"""

import logging

from engine.core.privacy import mask_text

__all__ = ["MaskPersonalData", "install", "mask_text"]


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
