"""Alembic environment: run migrations on the connection ``Store`` hands over in code.

There is no ``alembic.ini``: ``synoptic.store.repository.upgrade`` builds the ``Config`` itself
and passes an open connection in ``config.attributes["connection"]``, so migrations run inside
the caller's transaction, on whatever database (SQLite or PostgreSQL) the store opened.
"""

from __future__ import annotations

from alembic import context

from synoptic.store.schema import Base


def run_migrations_online() -> None:
    """Run the migrations on the connection given by the caller."""
    connection = context.config.attributes.get("connection")
    if connection is None:  # pragma: no cover - only reachable from the alembic command line
        raise RuntimeError("synoptic migrations run from synoptic.store.repository.upgrade")
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things in place; batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
