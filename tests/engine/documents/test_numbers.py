"""The 文号 under load: makers of one kind at once take 1..N in turn, with no gap and no number shared, and a maker
whose transaction rolls back gives its number back. PostgreSQL: the counter row is locked until commit; SQLite:
writers serialize (BEGIN IMMEDIATE)."""

import threading

from sqlalchemy import select

from engine import documents
from engine.store.tables import document_numbers
from tests.helpers.documents import MEDIATOR, at_agreement, this_year
from tests.helpers.process_driver import agreement

MAKERS = 20


class RolledBack(Exception):
    pass


def test_twenty_makers_at_once_take_one_to_twenty_and_a_rollback_gives_its_number_back(db):
    cases = [at_agreement(db) for _ in range(MAKERS + 1)]
    start = threading.Barrier(MAKERS + 1)
    numbers, errors, returned = [], [], []

    def make(case, task, roll_back: bool):
        try:
            start.wait()
            with db.begin() as conn:
                doc = documents.generate(conn, MEDIATOR, case.id, "agreement", task.id, agreement())
                if roll_back:
                    returned.append(doc["number"])
                    raise RolledBack()
            numbers.append(doc["number"])
        except RolledBack:
            pass
        except Exception as e:  # noqa: BLE001 (reported below)
            errors.append(e)

    threads = [threading.Thread(target=make, args=(case, task, i == MAKERS // 2))
               for i, (case, task) in enumerate(cases)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == [] and not any(t.is_alive() for t in threads)
    year = this_year()
    assert sorted(numbers, key=lambda n: int(n.split("第")[1][:-1])) == \
        [f"({year})福田人调字第{n}号" for n in range(1, MAKERS + 1)]
    assert len(returned) == 1
    with db.begin() as conn:  # 21 took a number, one rolled back: the counter stands at 20
        assert conn.execute(select(document_numbers.c.last)).scalar_one() == MAKERS
