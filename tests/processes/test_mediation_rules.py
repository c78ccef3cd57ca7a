"""The rules SEED_MEDIATION adds for the legal ends of people's and labour mediation, due to the minute."""

from engine.deadlines import rules as deadlines
from engine.deadlines import seed as sla_seed
from engine.store import deadlines as store
from tests.helpers.process_driver import (
    ACCEPT,
    JC_APPLY,
    LABOUR_ACCEPT,
    LABOUR_AGREEMENT,
    LABOUR_FOLLOW_UP,
    agreement,
    drive,
    due_local,
    labour_session,
    session,
)


def seeded(db):
    with db.begin() as conn:
        sla_seed.seed(conn)
    deadlines.RULES.clear()


def due_of(db, case_id, rule_key):
    with db.begin() as conn:
        found = [r for r in store.for_case(conn, case_id) if r.rule_key == rule_key]
    assert len(found) == 1, [r.rule_key for r in found]
    return due_local(found[0].due_at)


def test_seed_mediation_rules_are_well_formed():
    keys = {r["key"] for r in sla_seed.SEED_MEDIATION}
    assert keys.isdisjoint(t[0] for t in sla_seed.SEED)
    for rule in sla_seed.SEED_MEDIATION:
        assert rule["kind"] in ("statutory", "sla") and rule["scope"] == "task" and rule["source"]
        assert rule["clock"] in deadlines.CLOCKS


def test_court_decision_on_judicial_confirmation_18_days(db):
    seeded(db)
    # jc_result opens on Monday 3 March 2025, 10:00: 3 + 15 days → Friday 21 March, 23:59
    case, _ = drive(db, "people_mediation", [("mediation_accept", ACCEPT), ("mediation_session",
                                             session("agreement_reached")),
                                             ("mediation_agreement", agreement(jc=True)), ("jc_apply", JC_APPLY)])
    assert due_of(db, case.id, "jc_result_18d") == "2025-03-21 23:59"


def test_termination_notice_within_3_working_days(db):
    seeded(db)
    case, _ = drive(db, "people_mediation", [("mediation_accept", ACCEPT), ("mediation_session", session("failed"))])
    assert due_of(db, case.id, "termination_notice_3wd") == "2025-03-06 23:59"  # Monday + 3 工作日 = Thursday


def test_limitation_warning_and_payment_guidance(db):
    seeded(db)
    # the warning opens at once (limit 20 March 2025): told within 1 working day, Tuesday 4 March
    case, _ = drive(db, "labour_mediation", [("labour_accept", dict(LABOUR_ACCEPT, knew_on="2024-03-20"))])
    assert due_of(db, case.id, "arbitration_limit_warning_1wd") == "2025-03-04 23:59"
    case, _ = drive(db, "labour_mediation", [("labour_accept", LABOUR_ACCEPT),
                                             ("labour_session", labour_session("agreement_reached")),
                                             ("labour_agreement", LABOUR_AGREEMENT),
                                             ("labour_follow_up", dict(LABOUR_FOLLOW_UP, paid_in_full="no",
                                                                       amount_paid=0))])
    assert due_of(db, case.id, "labour_payment_guidance_3wd") == "2025-03-06 23:59"
