"""A million cases for the case-search bench, filled by SQL (generate_series) on PostgreSQL in a few minutes.

Case g (1..n), its attributes drawn independently: 案号 福田调〔2020+g%7〕<g/7+1>号; 5 % active with one open task (a quarter of them overdue), the rest closed; 12 communities,
the shipped dispute types and channels; risk red 5 %, orange 10 %, yellow 20 %; every 50th a group case (6
people); every 100th has a 包案 leader; received over seven years. Each case has an applicant (a three-character
name out of 108 000) and every second one a respondent. Stored phone and ID hashes are placeholders except for the
``sample`` cases, whose keyed hashes are real, so the bench can look them up by phone and ID number.
"""

from datetime import UTC, datetime

from sqlalchemy import text

from engine.core.keys import keyed_hash
from engine.store import ledger as ledger_store

COMMUNITIES = [f"第{i}社区" for i in range(1, 13)]
DISPUTES = ["marriage_family", "neighbourhood", "housing_homestead", "contract", "damage_compensation", "labour",
            "consumer", "medical", "traffic_accident", "property_management", "internet", "other"]
CHANNELS = ["service_hall", "law_mailbox", "grid_screening", "pre_petition_studio", "hotline_12345", "online"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅鑫波斌宇浩凯健俊帆帅旭宁龙林欣佳雨晨阳丹颖琳"
PHRASES = ["楼上漏水", "拖欠工资", "噪音扰民", "房屋租赁", "交通事故", "物业收费", "宅基地界址", "医疗费用", "网购退款",
           "借款未还", "装修质量", "停车位", "婚姻财产", "工伤赔偿", "邻里通道", "宠物伤人", "合同违约", "加班费",
           "押金退还", "树木遮光"]
STAGES = [("lawyer_review", "律师甄别确认分流", "lawyer"), ("mediation_accept", "人民调解受理", "mediator"),
          ("mediation_session", "调解会", "mediator")]


def _arr(values) -> str:
    return "ARRAY[" + ", ".join(f"'{v}'" for v in values) + "]"


CASES = f"""
INSERT INTO cases (id, case_number, year, number_year, number_seq, process_key, definition_id, status, revision,
  state, data, channel, source, dispute_type, community, summary, amount, people_count, risk_level, difficult,
  request_kind, repeat_petitioner, leader, created_at, created_by, updated_at, completed_at, imported, accepted_on,
  closed_on, received_on, over_level, visit_count)
SELECT g, '福田调〔' || (2020 + g % 7) || '〕' || CASE WHEN g / 7 + 1 < 10000 THEN lpad((g / 7 + 1)::text, 4, '0')
  ELSE (g / 7 + 1)::text END || '号', 2020 + g % 7,
  2020 + g % 7, g / 7 + 1, 'dispute_case', :definition_id,
  CASE WHEN h.a % 20 = 0 THEN 'active' ELSE 'completed' END, 1, '', '{{}}'::jsonb,
  ({_arr(CHANNELS)})[1 + h.b % {len(CHANNELS)}], 'party_application',
  ({_arr(DISPUTES)})[1 + h.c % {len(DISPUTES)}], ({_arr(COMMUNITIES)})[1 + h.d % {len(COMMUNITIES)}],
  ({_arr(PHRASES)})[1 + g % {len(PHRASES)}] || '，' || ({_arr(PHRASES)})[1 + (g / 20) % {len(PHRASES)}] || '，申请调解',
  (g % 1000) * 37, CASE WHEN h.e % 50 = 0 THEN 6 ELSE 1 + h.e % 3 END,
  CASE WHEN h.f % 20 = 0 THEN 'red' WHEN h.f % 20 < 3 THEN 'orange' WHEN h.f % 20 < 7 THEN 'yellow' END, false,
  'mediation', false, CASE WHEN h.g2 % 100 = 0 THEN 'leader1' END,
  d.day + time '09:00' + (g % 480) * interval '1 minute', 'bench', d.day + time '09:00',
  CASE WHEN h.a % 20 <> 0 THEN d.day + 20 + time '17:00' END, false, d.day,
  CASE WHEN h.a % 20 <> 0 THEN d.day + 20 END, d.day, false, 1
FROM generate_series(CAST(:first AS integer), CAST(:last AS integer)) AS g,
     LATERAL (SELECT date '2020-01-01' + ((g::bigint * 7919) % 2550)::integer AS day) AS d,
     -- independent pseudo-random draws per attribute (no correlation between the filters)
     LATERAL (SELECT (x * 3) % 1000 AS a, (x * 7) % 997 AS b, (x * 11) % 991 AS c, (x * 13) % 983 AS d,
                     (x * 17) % 977 AS e, (x * 19) % 971 AS f, (x * 23) % 967 AS g2
              FROM (SELECT (g::bigint * 2654435761) % 4294967291 AS x) AS s) AS h
"""

PARTIES = f"""
INSERT INTO case_parties (case_id, role, name, id_hash, id_masked, phone_hash, phone_masked)
SELECT g, r.role,
  substr('{SURNAMES}', 1 + (g * r.k) % {len(SURNAMES)}, 1) || substr('{GIVEN}', 1 + (g * r.k / 31) % {len(GIVEN)}, 1)
    || substr('{GIVEN}', 1 + (g * r.k / 1999) % {len(GIVEN)}, 1),
  md5('i' || r.k || g), '440304********' || lpad((g % 10000)::text, 4, '0'),
  md5('p' || r.k || g), '139****' || lpad((g % 10000)::text, 4, '0')
FROM generate_series(CAST(:first AS integer), CAST(:last AS integer)) AS g
CROSS JOIN (VALUES ('applicant', 1), ('respondent', 7)) AS r(role, k)
WHERE r.role = 'applicant' OR g % 2 = 0
"""

TASKS = f"""
INSERT INTO tasks (id, case_id, element_id, name, process_key, candidate_group, kind, status, created_at, due_at)
SELECT md5('t' || g)::uuid::text, g, s.element, s.name, 'dispute_case', s.grp, 'bpmn', 'ready',
  c.created_at, now() + ((g % 40) - 10) * interval '1 day'
FROM generate_series(CAST(:first AS integer), CAST(:last AS integer)) AS g
JOIN cases c ON c.id = g AND c.status = 'active'
JOIN (SELECT * FROM (VALUES {", ".join(f"({i}, '{e}', '{n}', '{grp}')" for i, (e, n, grp) in enumerate(STAGES))})
      AS v(i, element, name, grp)) AS s ON s.i = g % {len(STAGES)}
"""


def phone_of(g: int) -> str:
    return f"139{g:08d}"


def id_of(g: int) -> str:
    return f"4403041990{g % 100:02d}{g % 28 + 1:02d}{g % 1000:03d}X"


def fill(db, n: int, sample: list[int], batch: int = 250_000) -> None:
    """n cases (ids 1..n) with parties and open tasks; the ``sample`` cases get real phone and ID hashes."""
    with db.begin() as conn:
        definition_id = ledger_store.ledger_definition(conn, datetime.now(UTC))
    for first in range(1, n + 1, batch):
        last = min(n, first + batch - 1)
        with db.begin() as conn:
            bounds = {"first": first, "last": last}
            conn.execute(text(CASES), {**bounds, "definition_id": definition_id})
            conn.execute(text(PARTIES), bounds)
            conn.execute(text(TASKS), bounds)
    with db.begin() as conn:
        conn.execute(text("UPDATE case_parties SET phone_hash = :p, id_hash = :i WHERE case_id = :g AND role = 'applicant'"),
                     [{"g": g, "p": keyed_hash(phone_of(g)), "i": keyed_hash(id_of(g))} for g in sample])
        conn.execute(text("SELECT setval(pg_get_serial_sequence('cases', 'id'), :n)"), {"n": n})
    with db.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
