"""A filed case (立卷归档) is read-only: every change to it is refused until it is reopened with a reason."""

from sqlalchemy import Connection

from engine.core.errors import Conflict
from engine.store import case_queries


class CaseFiled(Conflict):
    """The case is in its case file (卷宗); reopen it (with a reason) to change it."""

    code = "case_filed"


def check_not_filed(conn: Connection, case_id: int) -> None:
    """``CaseFiled`` if the case is filed; nothing if it is open (or does not exist: the caller finds that)."""
    row = case_queries.filed(conn, case_id)
    if row is not None and row.filed_at is not None:
        raise CaseFiled(f"案件 {row.case_number} 已立卷归档，不能修改；如需更正，请先说明理由重新开卷"
                        f" (case {row.case_number} is filed and read-only; reopen it with a reason to correct it)")
