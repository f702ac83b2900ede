"""The claim archive: articles and their claims, facts indexed by grouping key.

Revision ID: 0001
Revises: none
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
PATH = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "factcheck_articles",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("path", PATH, nullable=False, unique=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("extractor", sa.String(32), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("date", sa.Text),
        sa.Column("source", sa.Text),
        sa.Column("place", sa.Text, nullable=False),
        sa.Column("year", sa.Integer),
        sa.Column("chars", sa.Integer, nullable=False),
        sa.Column("n_claims", sa.Integer, nullable=False),
        sa.Column("n_facts", sa.Integer, nullable=False),
        sa.Column("indexed_at", sa.Text, nullable=False),
    )
    op.create_index("ix_factcheck_articles_extractor", "factcheck_articles", ["extractor"])
    op.create_index("ix_factcheck_articles_place", "factcheck_articles", ["place"])
    op.create_index("ix_factcheck_articles_hash", "factcheck_articles", ["content_hash"])
    op.create_table(
        "factcheck_claims",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("article_id", ID, sa.ForeignKey("factcheck_articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("idx", sa.Integer, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("line", sa.Integer, nullable=False),
        sa.Column("col", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("value_high", sa.Text),
        sa.Column("exp", sa.Integer, nullable=False),
        sa.Column("unit", sa.Text, nullable=False),
        sa.Column("dim", sa.Text, nullable=False),
        sa.Column("base", sa.Text, nullable=False),
        sa.Column("factor", sa.Text, nullable=False),
        sa.Column("qualifier", sa.Text),
        sa.Column("qualifier_text", sa.Text, nullable=False),
        sa.Column("modality", sa.Text, nullable=False),
        sa.Column("time", sa.Text),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("threshold", sa.Text),
        sa.Column("metric", sa.Text, nullable=False),
        sa.Column("noun", sa.Text, nullable=False),
        sa.Column("period", sa.Text, nullable=False),
        sa.Column("base_value", sa.Float, nullable=False),
        sa.Column("group_key", sa.BigInteger),
        sa.Column("fact_key", sa.Text),
        sa.Column("is_set", sa.Boolean),
        sa.Column("shown", sa.Text),
        sa.Column("sort_path", PATH),
        sa.Column("ignore", sa.Text),
    )
    op.create_index("ix_factcheck_claims_article", "factcheck_claims", ["article_id"])
    where = sa.text("group_key IS NOT NULL")
    op.create_index("ix_factcheck_claims_fact_period", "factcheck_claims", ["group_key", "period", "sort_path"],
                    sqlite_where=where, postgresql_where=where)
    op.create_index("ix_factcheck_claims_fact_first", "factcheck_claims", ["group_key", "sort_path"],
                    sqlite_where=where, postgresql_where=where)


def downgrade() -> None:
    op.drop_table("factcheck_claims")
    op.drop_table("factcheck_articles")
