"""Alembic environment: migrate the connection the gallery passes in (see migrate.py)."""

from __future__ import annotations

from alembic import context

from gallery.records.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `gallery db upgrade`, which passes a connection")

context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite cannot ALTER most things in place: rebuild the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
)
# The caller holds the transaction: the migrations commit with it or not at all.
with context.begin_transaction():
    context.run_migrations()
