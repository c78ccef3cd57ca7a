"""documents and case files: 文号 counters, templates per office, documents (versions), 卷宗; attachments
link a signed scan to the document it signs; cases.filed_at marks a filed (read-only) case

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
UTC = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')


def upgrade() -> None:
    op.create_table('document_numbers',
    sa.Column('office', sa.String(length=40), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('office', 'year', 'kind', name=op.f('pk_document_numbers'))
    )
    op.create_table('document_templates',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('office', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('active', sa.Boolean(), server_default='1', nullable=False),
    sa.Column('uploaded_by', sa.String(length=100), nullable=False),
    sa.Column('uploaded_at', UTC, nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_templates')),
    sa.UniqueConstraint('office', 'kind', 'version', name=op.f('uq_document_templates_office_kind_version'))
    )
    op.create_table('case_files',
    sa.Column('case_id', ID, nullable=False),
    sa.Column('file_number', sa.String(length=80), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('serial', sa.Integer(), nullable=False),
    sa.Column('office', sa.String(length=40), nullable=False),
    sa.Column('retention', sa.String(length=20), nullable=False),
    sa.Column('retention_years', sa.Integer(), nullable=True),
    sa.Column('contents', JSON, nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('filed_by', sa.String(length=100), nullable=False),
    sa.Column('filed_at', UTC, nullable=False),
    sa.Column('reopened_by', sa.String(length=100), nullable=True),
    sa.Column('reopened_at', UTC, nullable=True),
    sa.Column('reopen_reason', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_files_case_id_cases')),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_case_files')),
    sa.UniqueConstraint('file_number', name=op.f('uq_case_files_file_number'))
    )
    with op.batch_alter_table('case_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_files_year_office'), ['year', 'office'], unique=False)

    op.create_table('documents',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('case_id', ID, nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('office', sa.String(length=40), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('serial', sa.Integer(), nullable=True),
    sa.Column('number', sa.String(length=80), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('current', sa.Boolean(), server_default='1', nullable=False),
    sa.Column('task_id', sa.String(length=36), nullable=True),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('template_id', ID, nullable=True),
    sa.Column('template_sha256', sa.String(length=64), nullable=False),
    sa.Column('data', JSON, nullable=False),
    sa.Column('attachment_id', sa.String(length=36), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', UTC, nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_documents_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_case_id_kind'), ['case_id', 'kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_office_kind_year_serial'), ['office', 'kind', 'year', 'serial'], unique=False)

    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signs_document_id', sa.String(length=36), nullable=True))

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('filed_at', UTC, nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_office_kind_year_serial'))
        batch_op.drop_index(batch_op.f('ix_documents_case_id_kind'))

    op.drop_table('documents')
    with op.batch_alter_table('case_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_files_year_office'))

    op.drop_table('case_files')
    op.drop_table('document_templates')
    op.drop_table('document_numbers')

    # plain columns (no index, no key): dropped in place, so SQLite never copies ``cases``, which the case's
    # tasks, events, deadlines … reference (a batch copy would drop it under them)
    op.drop_column('cases', 'filed_at')
    op.drop_column('attachments', 'signs_document_id')
