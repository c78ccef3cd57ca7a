"""A million open tasks for the queue bench, filled by SQL (generate_series) on PostgreSQL in a minute or two.

Case g (1..n) is active with one open task; attributes drawn independently of one another (hashes of g):
12 communities; the task's group intake 15 %, mediator 45 %, lawyer 20 %, supervisor 10 %, leader 10 %;
30 % claimed, by one of 20 caseworkers of the case's community (``assignee_of``); due over 60 days around now
(a sixth overdue), every tenth with no due time; created over the last 90 days; each case an applicant (the
queue row shows it), a summary, a risk level, every 50th a group case, every 100th a 包案 leader.
"""

from datetime import UTC, datetime

from sqlalchemy import text

from engine.store import ledger as ledger_store
from tests.helpers.search_fill import COMMUNITIES, DISPUTES, PHRASES, _arr

GROUPS = [("intake", 15), ("mediator", 45), ("lawyer", 20), ("supervisor", 10), ("leader", 10)]
ASSIGNEES_PER_COMMUNITY = 20
STAGE = {"intake": "登记", "mediator": "调解会", "lawyer": "律师甄别确认分流", "supervisor": "审核", "leader": "领导审批"}


def _group_case(column: str) -> str:
    """CASE on a draw 0..99 picking the group by its weight."""
    arms, upto = [], 0
    for group, weight in GROUPS:
        upto += weight
        arms.append(f"WHEN {column} < {upto} THEN '{group}'")
    return "CASE " + " ".join(arms) + " END"


def assignee_of(community: int, k: int) -> str:
    """The k-th caseworker (0..19) of community number ``community`` (1..12), as the fill names them."""
    return f"u{community}_{k}"


_DRAWS = """
FROM generate_series(CAST(:first AS integer), CAST(:last AS integer)) AS g,
     -- each draw modulo its own prime first, so that no two are correlated
     LATERAL (SELECT (x * 3) % 1009 % 100 AS grp, (x * 7) % 1013 % 10 AS claimed, (x * 11) % 997 AS due,
                     (x * 13) % 983 AS age, (x * 17) % 977 AS risk, (x * 19) % 1019 % 20 AS who,
                     (x * 23) % 1021 % 12 AS com
              FROM (SELECT (g::bigint * 2654435761) % 4294967291 AS x) AS s) AS h
"""

CASES = f"""
INSERT INTO cases (id, case_number, year, process_key, definition_id, status, revision, state, data, channel,
  source, dispute_type, community, summary, people_count, risk_level, leader, created_at, created_by, updated_at,
  received_on)
SELECT g, 'QUEUE-' || g, 2026, 'dispute_case', :definition_id, 'active', 1, '', '{{}}'::jsonb, 'service_hall',
  'party_application', ({_arr(DISPUTES)})[1 + g % {len(DISPUTES)}], ({_arr(COMMUNITIES)})[1 + h.com],
  ({_arr(PHRASES)})[1 + g % {len(PHRASES)}] || '，' || ({_arr(PHRASES)})[1 + (g / 20) % {len(PHRASES)}] || '，申请调解',
  CASE WHEN g % 50 = 0 THEN 6 ELSE 1 + g % 3 END,
  CASE WHEN h.risk % 20 = 0 THEN 'red' WHEN h.risk % 20 < 3 THEN 'orange' WHEN h.risk % 20 < 7 THEN 'yellow' END,
  CASE WHEN g % 100 = 0 THEN 'leader1' END,
  now() - (h.age % 90) * interval '1 day' - (g % 600) * interval '1 minute', 'bench', now(), current_date
{_DRAWS}
"""

PARTIES = """
INSERT INTO case_parties (case_id, role, name, id_hash, id_masked, phone_hash, phone_masked)
SELECT g, 'applicant', '王' || substr('伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超', 1 + g % 19, 1) || '明',
  md5('i' || g), '440304********' || lpad((g % 10000)::text, 4, '0'),
  md5('p' || g), '139****' || lpad((g % 10000)::text, 4, '0')
FROM generate_series(CAST(:first AS integer), CAST(:last AS integer)) AS g
"""

TASKS = f"""
INSERT INTO tasks (id, case_id, element_id, name, process_key, candidate_group, assignee, kind, status, created_at,
  claimed_at, due_at)
SELECT md5('q' || g)::uuid::text, g, t.grp, t.stage, 'dispute_case', t.grp,
  CASE WHEN h.claimed < 3 THEN 'u' || (1 + h.com) || '_' || h.who END, 'bpmn',
  CASE WHEN h.claimed < 3 THEN 'claimed' ELSE 'ready' END,
  now() - (h.age % 90) * interval '1 day' - (g % 600) * interval '1 minute',
  CASE WHEN h.claimed < 3 THEN now() - interval '1 hour' END,
  CASE WHEN h.due % 10 <> 0 THEN now() + ((h.due * 86.0) - 10 * 1440) * interval '1 minute' END
{_DRAWS}
CROSS JOIN LATERAL (SELECT {_group_case("h.grp")} AS grp) AS t0
CROSS JOIN LATERAL (SELECT t0.grp, (SELECT v.stage FROM (VALUES {", ".join(f"('{k}', '{v}')" for k, v in STAGE.items())})
                    AS v(grp, stage) WHERE v.grp = t0.grp) AS stage) AS t
"""


def fill(db, n: int, batch: int = 250_000) -> None:
    """n active cases (ids 1..n, a fresh database) each with an applicant and one open task."""
    with db.begin() as conn:
        definition_id = ledger_store.ledger_definition(conn, datetime.now(UTC))
    for first in range(1, n + 1, batch):
        bounds = {"first": first, "last": min(n, first + batch - 1)}
        with db.begin() as conn:
            conn.execute(text(CASES), {**bounds, "definition_id": definition_id})
            conn.execute(text(PARTIES), bounds)
            conn.execute(text(TASKS), bounds)
    with db.begin() as conn:
        conn.execute(text("SELECT setval(pg_get_serial_sequence('cases', 'id'), :n)"), {"n": n})
    with db.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
