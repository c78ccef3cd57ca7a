"""Indexes of the case search (案件查询, migration 0013) and of the period report, declared apart from the tables
they index.

Party names are searched by substring: on PostgreSQL through a pg_trgm GIN index (the migration falls back
to a plain index of the same name where the extension cannot be created); on SQLite a plain index. Phones are matched by keyed hash; 案号 by (number, year); lists sort by the dates.
"""

from sqlalchemy import Index, func

from engine.store.tables import case_parties, cases, tasks

Index("ix_case_parties_name_trgm", case_parties.c.name, postgresql_using="gin",
      postgresql_ops={"name": "gin_trgm_ops"})
# a name's first one or two characters (migration 0021): a range of this index, counted truly by the planner
Index("ix_case_parties_name_prefix", func.lower(case_parties.c.name).label("name_lower"),
      postgresql_ops={"name_lower": "text_pattern_ops"})
_OPEN = tasks.c.status.in_(["ready", "claimed"])
# the step filter (name or element id): two ranges, case ids read from the index alone on PostgreSQL (migration 0022)
for _col, _name in ((tasks.c.name, "ix_tasks_open_name"), (tasks.c.element_id, "ix_tasks_open_element")):
    Index(_name, _col, postgresql_where=_OPEN, sqlite_where=_OPEN, postgresql_include=["case_id"])
Index("ix_case_parties_phone_hash", case_parties.c.phone_hash)
Index("ix_cases_number", cases.c.number_seq, cases.c.number_year)
Index("ix_cases_created", cases.c.created_at, cases.c.id)
Index("ix_cases_received", cases.c.received_on, cases.c.id)
Index("ix_cases_leader", cases.c.leader)
# a community's cases in date order: a caseworker's list and its deep pages walk one community's range
Index("ix_cases_community_received", cases.c.community, cases.c.received_on, cases.c.id)
Index("ix_cases_community_created", cases.c.community, cases.c.created_at, cases.c.id)
Index("ix_cases_number_order", cases.c.number_year, cases.c.number_seq, cases.c.id)  # sort by 案号
Index("ix_cases_dispute_type", cases.c.dispute_type, cases.c.status)  # with (community, status): a bitmap AND
Index("ix_cases_risk_level", cases.c.risk_level)
Index("ix_cases_people_count", cases.c.people_count)  # 群体性: people_count >= 5
# the report's distinct 引导函编号: the few lettered cases of a period, read from the index alone (migration 0019)
_LETTERED = cases.c.guidance_letter_no.is_not(None)
Index("ix_cases_guidance_letters", cases.c.accepted_on, postgresql_where=_LETTERED, sqlite_where=_LETTERED,
      postgresql_include=["handling_body", "outcome", "guidance_letter_no"])
