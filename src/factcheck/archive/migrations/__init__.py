"""The archive's schema versions (Alembic): env.py runs them on the connection store.py gives it."""
