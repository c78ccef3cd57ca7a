"""Alembic environment: runs on the engine handed over by engine.store.migrate."""

from alembic import context
from sqlalchemy import create_engine

from engine.store.tables import metadata

cfg = context.config
engine = cfg.attributes.get("engine") or create_engine(cfg.get_main_option("sqlalchemy.url"))

with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                      transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
