"""tasks: the case search's step filter (a step's name or element id) from two ranges of open-task indexes: the
open tasks' name index includes case_id on PostgreSQL (read from the index alone) and the open tasks' element
ids get one of their own (before, ``name = … OR element_id = …`` read every open task). With them the overdue
cases at a step are the step's case ids INTERSECT the overdue ones, read from indexes alone and found once per
search (``engine.store.case_search.narrow``).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None

OPEN = sa.text("status IN ('ready', 'claimed')")


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':  # SQLite has no INCLUDE: its name index stays as it is
        op.drop_index('ix_tasks_open_name', table_name='tasks')
        op.create_index('ix_tasks_open_name', 'tasks', ['name'], postgresql_where=OPEN, postgresql_include=['case_id'])
    op.create_index('ix_tasks_open_element', 'tasks', ['element_id'], postgresql_where=OPEN, sqlite_where=OPEN,
                    postgresql_include=['case_id'])


def downgrade() -> None:
    op.drop_index('ix_tasks_open_element', table_name='tasks')
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_index('ix_tasks_open_name', table_name='tasks')
        op.create_index('ix_tasks_open_name', 'tasks', ['name'], postgresql_where=OPEN)
