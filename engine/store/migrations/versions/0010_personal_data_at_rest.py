"""personal data at rest: encrypted party values, the PII access log, retention; existing data sealed

The full ID numbers and phones that cases.data, case_events.data and the serialized workflow state held in
clear move into case_parties (AES-256-GCM under the current data key, kept outside the database); those
places keep a party_ref and masked values. Downgrade puts the full values back into cases.data (the events
and the state stay masked) and drops the new columns and tables.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""
import json

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

BATCH = 200
_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_cases = sa.table('cases', sa.column('id', sa.BigInteger), sa.column('data', _JSON), sa.column('state', sa.Text))
_events = sa.table('case_events', sa.column('id', sa.BigInteger), sa.column('case_id', sa.BigInteger),
                   sa.column('data', _JSON))
_parties = sa.table('case_parties', sa.column('id', sa.BigInteger), sa.column('case_id', sa.BigInteger),
                    *(sa.column(c, sa.String) for c in (
                        'role', 'name', 'id_hash', 'id_masked', 'phone_hash', 'phone_masked', 'party_ref',
                        'id_cipher', 'phone_cipher', 'key_id')))


def _id_type():
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table('case_parties', schema=None) as batch_op:
        batch_op.add_column(sa.Column('party_ref', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('id_cipher', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('phone_cipher', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('key_id', sa.String(length=40), nullable=True))
    utc = sa.DateTime(timezone=True)
    op.create_table('pii_access',
    sa.Column('id', _id_type(), autoincrement=True, nullable=False),
    sa.Column('at', utc, nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('case_id', _id_type(), nullable=True),
    sa.Column('party_ref', sa.String(length=16), nullable=True),
    sa.Column('what', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pii_access'))
    )
    with op.batch_alter_table('pii_access', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pii_access_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_pii_access_case_id'), ['case_id'], unique=False)
    op.create_table('case_retention',
    sa.Column('case_id', _id_type(), nullable=False),
    sa.Column('anonymised_at', utc, nullable=False),
    sa.Column('kind', sa.String(length=100), nullable=False),
    sa.Column('years', sa.Integer(), nullable=False),
    sa.Column('removed', _JSON, nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_retention_case_id_cases')),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_case_retention'))
    )
    seal_existing(op.get_bind())


def seal_existing(conn) -> dict:
    """Every case's parties sealed (full values encrypted into case_parties) and its data, events and workflow
    state left with party refs and masked values only; returns counts."""
    from engine.core.privacy import is_masked, map_data_blocks, scrub_deep, seal_parties

    def seal_blob(value, rows: list | None = None):
        if isinstance(value, dict):
            out = {}
            for k, v in value.items():
                if k == "parties" and isinstance(v, list):
                    sealed = []
                    for p in v:  # a party already sealed (masked values) stays as it is
                        if isinstance(p, dict) and any(isinstance(p.get(f), str) and p[f].strip()
                                                       and not is_masked(p[f]) for f in ("id_number", "phone")):
                            [p], found = seal_parties([p])
                            if rows is not None:
                                rows.extend(found)
                        sealed.append(scrub_deep(p))
                    out[k] = sealed
                else:
                    out[k] = seal_blob(v)
            return scrub_deep(out)
        if isinstance(value, list):
            return [seal_blob(v) for v in value]
        return value

    counts = {"cases": 0, "party_rows": 0, "events": 0}
    last = 0
    while True:
        batch = conn.execute(sa.select(_cases.c.id, _cases.c.data, _cases.c.state).where(_cases.c.id > last)
                             .order_by(_cases.c.id).limit(BATCH)).all()
        if not batch:
            return counts
        for case_id, data, state in batch:
            last = case_id
            rows: list = []
            new_data = seal_blob(data, rows) if isinstance(data, dict) else data
            new_state = state
            if state:
                blob = json.loads(state)
                new_state = json.dumps(map_data_blocks(blob, seal_blob), ensure_ascii=False, separators=(",", ":"))
            if new_data != data or new_state != state:
                conn.execute(sa.update(_cases).where(_cases.c.id == case_id).values(data=new_data, state=new_state))
                counts["cases"] += 1
            if rows:  # the case's party rows (those written before 0010) again, with refs and encrypted values
                conn.execute(sa.delete(_parties).where(_parties.c.case_id == case_id, _parties.c.party_ref.is_(None)))
                conn.execute(sa.insert(_parties), [{**r, "case_id": case_id} for r in rows])
                counts["party_rows"] += len(rows)
            for event_id, event_data in conn.execute(
                    sa.select(_events.c.id, _events.c.data).where(_events.c.case_id == case_id)).all():
                sealed = seal_blob(event_data) if isinstance(event_data, dict) else event_data
                if sealed != event_data:
                    conn.execute(sa.update(_events).where(_events.c.id == event_id).values(data=sealed))
                    counts["events"] += 1


def downgrade() -> None:
    from engine.core import datakeys

    conn = op.get_bind()
    for case_id, data in conn.execute(sa.select(_cases.c.id, _cases.c.data)).all():
        parties = data.get("parties") if isinstance(data, dict) else None
        if not isinstance(parties, list):
            continue
        known = {r.party_ref: r for r in conn.execute(
            sa.select(_parties).where(_parties.c.case_id == case_id, _parties.c.party_ref.is_not(None)))}
        restored = []
        for p in parties:
            r = known.get(p.get("party_ref")) if isinstance(p, dict) else None
            if r is not None:
                p = {k: v for k, v in p.items() if k != "party_ref"}
                if r.id_cipher:
                    p["id_number"] = datakeys.decrypt(r.id_cipher, r.key_id)
                if r.phone_cipher:
                    p["phone"] = datakeys.decrypt(r.phone_cipher, r.key_id)
            restored.append(p)
        if restored != parties:
            conn.execute(sa.update(_cases).where(_cases.c.id == case_id).values(data={**data, "parties": restored}))
    op.drop_table('case_retention')
    with op.batch_alter_table('pii_access', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pii_access_case_id'))
        batch_op.drop_index(batch_op.f('ix_pii_access_at'))
    op.drop_table('pii_access')
    with op.batch_alter_table('case_parties', schema=None) as batch_op:
        batch_op.drop_column('key_id')
        batch_op.drop_column('phone_cipher')
        batch_op.drop_column('id_cipher')
        batch_op.drop_column('party_ref')
