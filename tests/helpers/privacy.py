"""Personal data at rest: the raw values of the test parties and every text the database stores."""
import json

from sqlalchemy import inspect, text

from tests.helpers.process_driver import APPLICANT, RESPONDENT

RAW = [APPLICANT["id_number"], APPLICANT["phone"], RESPONDENT["id_number"], RESPONDENT["phone"]]


def everything_stored(db) -> str:
    """Every text value of every table (the state blob and JSON columns included), as one string."""
    out = []
    with db.begin() as conn:
        for name in inspect(conn).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{name}"')):
                out.extend(json.dumps(v, ensure_ascii=False, default=str) if isinstance(v, dict | list) else str(v)
                           for v in row)
    return "\n".join(out)
