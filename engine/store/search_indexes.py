"""Indexes of the case search (案件查询, migration 0013), declared apart from the tables they index.

Party names and summaries are searched by substring: on PostgreSQL through pg_trgm GIN indexes (the migration
falls back to plain indexes of the same names where the extension cannot be created); on SQLite these are
plain indexes. Phones are matched by keyed hash; 案号 by (number, year); lists sort by the dates.
"""

from sqlalchemy import Index

from engine.store.tables import case_parties, cases

TRGM_INDEXES = {"ix_case_parties_name_trgm": ("case_parties", "name"), "ix_cases_summary_trgm": ("cases", "summary")}

Index("ix_case_parties_name_trgm", case_parties.c.name, postgresql_using="gin",
      postgresql_ops={"name": "gin_trgm_ops"})
Index("ix_cases_summary_trgm", cases.c.summary, postgresql_using="gin", postgresql_ops={"summary": "gin_trgm_ops"})
Index("ix_case_parties_phone_hash", case_parties.c.phone_hash)
Index("ix_cases_number", cases.c.number_seq, cases.c.number_year)
Index("ix_cases_created", cases.c.created_at, cases.c.id)
Index("ix_cases_received", cases.c.received_on, cases.c.id)
Index("ix_cases_leader", cases.c.leader)
